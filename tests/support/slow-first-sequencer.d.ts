import Sequencer from '@jest/test-sequencer';

/** Jest's sequencer, slowest files first also without a timing cache (slow-first-sequencer.js). */
declare class SlowFirstSequencer extends Sequencer {}
export = SlowFirstSequencer;
