/**
 * Jest's order of test files, slowest first, also on a fresh clone. Jest's own sequencer runs the
 * slowest first only for files its cache has timed (a second run on the same machine); with no cache
 * it goes by file size, and a few-kilobyte file that starts a demo app and a browser can then start
 * last and run alone for minutes while the other worker idles. Files with no cached time take their
 * estimate from KNOWN_SECONDS (measured one file at a time with --maxWorkers=1 on a loaded 2-core
 * machine: relative, not absolute), else from their size. Failed files still run first.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- jest loads a sequencer untransformed, as CommonJS */
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

/** Seconds per file, for files far slower than their size suggests. Keep the slowest listed. */
const KNOWN_SECONDS = {
  'tests/integration/halo-sync.integration.test.ts': 190,
  'tests/e2e/playground.e2e.test.ts': 175,
  'tests/e2e/tab.e2e.test.ts': 165,
  'tests/e2e/contract-page.e2e.test.ts': 140,
  'tests/fuzz/api-fuzz.integration.test.ts': 120,
  'tests/e2e/governance-page.e2e.test.ts': 100,
  'tests/renewals/governance-review.integration.test.ts': 65,
  'tests/renewals/contract-page-api.integration.test.ts': 52,
  'src/app/delivery/escalation-actions.integration.test.ts': 30,
  'src/halo/halo-webhook.integration.test.ts': 30,
};
/** A size-based guess for the rest: about a second per kilobyte of test. */
const MS_PER_BYTE = 1;

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const estimate = (test) => {
      const cached = this.time(test);
      if (cached != null) return cached;
      const known =
        KNOWN_SECONDS[
          path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/')
        ];
      if (known != null) return known * 1000;
      return (test.context.hasteFS.getSize(test.path) ?? 0) * MS_PER_BYTE;
    };
    const keyed = tests.map((test) => ({
      test,
      failed: this.hasFailed(test),
      ms: estimate(test),
    }));
    keyed.sort((a, b) => {
      if (a.failed !== b.failed) return a.failed ? -1 : 1;
      return b.ms - a.ms;
    });
    return keyed.map((k) => {
      k.test.duration = this.time(k.test);
      return k.test;
    });
  }
}

module.exports = SlowFirstSequencer;
