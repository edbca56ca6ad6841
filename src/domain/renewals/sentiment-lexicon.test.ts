import { negativeHitCount, normaliseFeedback, scoreText } from './sentiment-lexicon';

describe('negative-language lexicon', () => {
  test.each<[string, number]>([
    ['Thanks, all working now', 0],
    ['This is unacceptable, we are frustrated', 4],
    ['We will cancel our contract', 3], // the longer phrase counts once
    ['No complaint from us', 0], // negated
    ['I am not happy with this', 2],
    ['Still not fixed. Still not fixed!', 4],
    ['Cancellation is not mentioned', 0], // whole words only
  ])('%p scores %p', (text, score) => {
    expect(negativeHitCount(text)).toBe(score);
  });

  test('says which phrases it found', () => {
    expect(scoreText('Frustrated. Third time this month, again.').hits).toEqual([
      { phrase: 'frustrated', weight: 2, count: 1 },
      { phrase: 'third time', weight: 2, count: 1 },
      { phrase: 'again', weight: 1, count: 1 },
    ]);
  });

  test('feedback is normalised to 1–5', () => {
    expect(normaliseFeedback(1, 1, 4)).toBe(1);
    expect(normaliseFeedback(4, 1, 4)).toBe(5);
    expect(normaliseFeedback(5, 0, 10)).toBe(3);
  });
});
