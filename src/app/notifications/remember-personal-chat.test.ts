import { conversationKey, type ConversationRef } from '../ports/notifications.port';
import type { PersonalConversationRecord } from '../ports/personal-delivery.port';
import { RememberPersonalChat, type PersonalChatStore } from './remember-personal-chat';

const chat = (id: string): ConversationRef => ({
  serviceUrl: 'https://smba.example/teams',
  conversationId: id,
  channelId: 'msteams',
  tenantId: 'entra',
  botId: '28:bot',
  conversationType: 'personal',
  label: null,
});

class FakeChats implements PersonalChatStore {
  readonly records = new Map<string, PersonalConversationRecord>();
  readonly waiting = new Map<string, number>();
  asked = 0;
  async keepConversation(aad: string, conversation: ConversationRef) {
    this.asked += 1;
    const known = this.records.get(aad)?.conversation;
    if (known && conversationKey(known) === conversationKey(conversation)) return 0;
    this.records.set(aad, {
      aadObjectId: aad,
      conversation,
      installState: 'installed',
      sayHiLink: null,
    });
    const n = this.waiting.get(aad) ?? 0;
    this.waiting.set(aad, 0);
    return n;
  }
  recordRefused(aad: string, sayHiLink: string) {
    this.records.set(aad, {
      aadObjectId: aad,
      conversation: null,
      installState: 'refused',
      sayHiLink,
    });
  }
}

describe('RememberPersonalChat', () => {
  test('a person whose install was refused says hi: the chat is kept and their waiting rows go out', async () => {
    const store = new FakeChats();
    store.recordRefused('aad-1', 'https://teams.microsoft.com/l/app/x');
    store.waiting.set('aad-1', 2);
    let pokes = 0;
    const remember = new RememberPersonalChat({
      store,
      outboxChanged: { notify: () => (pokes += 1) },
    });

    expect(await remember.met('aad-1', chat('a:1'))).toEqual({ requeued: 2 });
    expect(store.records.get('aad-1')).toMatchObject({
      conversation: chat('a:1'),
      installState: 'installed',
    });
    expect(pokes).toBe(1);
  });

  test('the same chat again changes nothing and wakes nobody', async () => {
    const store = new FakeChats();
    await store.keepConversation('aad-1', chat('a:1'));
    let pokes = 0;
    const remember = new RememberPersonalChat({
      store,
      outboxChanged: { notify: () => (pokes += 1) },
    });

    expect(await remember.met('aad-1', chat('a:1'))).toEqual({ requeued: 0 });
    expect(pokes).toBe(0);
  });

  test('a chat this process already kept is not asked about again; another chat is', async () => {
    const store = new FakeChats();
    const remember = new RememberPersonalChat({ store, outboxChanged: { notify: () => 0 } });

    await remember.met('aad-1', chat('a:1'));
    await remember.met('aad-1', chat('a:1'));
    await remember.met('aad-2', chat('a:2'));
    expect(store.asked).toBe(2);

    await remember.met('aad-1', chat('a:3'));
    expect(store.asked).toBe(3);
    expect(store.records.get('aad-1')?.conversation).toEqual(chat('a:3'));
    // Its service URL written with a trailing slash is the same chat.
    await remember.met('aad-1', { ...chat('a:3'), serviceUrl: 'https://smba.example/teams/' });
    expect(store.asked).toBe(3);
  });
});
