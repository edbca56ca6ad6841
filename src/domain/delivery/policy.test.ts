import {
  DEFAULT_DELIVERY_POLICY,
  inPilotScope,
  levelFor,
  resolvePolicy,
  validatePolicy,
  validatePolicyConfig,
  type DeliveryPolicyConfig,
} from './policy';

const t = { amber: 0.1, red: 0.2, backToGreen: 0.05 };

describe('levels at every threshold edge', () => {
  test.each([
    [0.0999, 'green'],
    [0.1, 'amber'],
    [0.1001, 'amber'],
    [0.1999, 'amber'],
    [0.2, 'red'],
    [0.2001, 'red'],
    [null, null],
  ])('value %p is %p', (value, level) => {
    expect(levelFor(value, t)).toBe(level);
  });

  test.each([
    // On the way back from red or amber the level stays amber until back-to-green.
    [0.19, 'red', 'amber'],
    [0.0999, 'red', 'amber'],
    [0.0501, 'amber', 'amber'],
    [0.05, 'amber', 'green'],
    [0.0499, 'amber', 'green'],
    [0.0999, 'green', 'green'],
  ])('hysteresis: value %p after %p is %p', (value, previous, level) => {
    expect(levelFor(value, t, previous as 'green' | 'amber' | 'red')).toBe(level);
  });
});

describe('policy validation', () => {
  test('the default policy is valid', () => {
    expect(validatePolicy(DEFAULT_DELIVERY_POLICY)).toEqual({
      ok: true,
      policy: DEFAULT_DELIVERY_POLICY,
    });
  });

  test('lists every problem', () => {
    const bad = {
      ...DEFAULT_DELIVERY_POLICY,
      burn: { amber: 0.2, red: 0.1, backToGreen: 0.3 },
      schedule: { amber: 5, red: 10, backToGreen: 5 },
      severities: { amber: 'high', red: 'low' },
    };
    const r = validatePolicy(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems).toEqual([
        'burn: backToGreen must be below amber',
        'burn: amber must not exceed red',
        'schedule: backToGreen must be below amber',
        'severities: amber severity must not exceed red severity',
      ]);
    }
  });

  test('reports shape errors with paths', () => {
    const r = validatePolicy({
      ...DEFAULT_DELIVERY_POLICY,
      persistenceDays: 0,
      pilot: { clientIds: [1] },
    });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.some((p) => p.startsWith('persistenceDays'))).toBe(true);
      expect(r.problems.some((p) => p.startsWith('pilot'))).toBe(true);
    }
  });
});

describe('overrides merge default < projectType < client', () => {
  const config: DeliveryPolicyConfig = {
    default: DEFAULT_DELIVERY_POLICY,
    byProjectType: { migration: { burn: { amber: 0.15, red: 0.3 }, persistenceDays: 4 } },
    byClient: { c9: { burn: { red: 0.25 }, shadowMode: true } },
  };

  test('project type then client, key by key', () => {
    const p = resolvePolicy(config, { clientId: 'c9', projectType: 'migration' });
    expect(p.burn).toEqual({
      amber: 0.15,
      red: 0.25,
      backToGreen: DEFAULT_DELIVERY_POLICY.burn.backToGreen,
    });
    expect(p.persistenceDays).toBe(4);
    expect(p.shadowMode).toBe(true);
  });

  test('no override leaves the default', () => {
    expect(resolvePolicy(config, { clientId: 'c1', projectType: null })).toEqual(
      DEFAULT_DELIVERY_POLICY,
    );
  });

  test('a bad override is caught when the config is validated', () => {
    const r = validatePolicyConfig({ ...config, byClient: { c2: { burn: { amber: 0.5 } } } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems).toContain('client c2: burn: amber must not exceed red');
    expect(validatePolicyConfig(config).ok).toBe(true);
  });
});

describe('pilot scope', () => {
  test.each([
    [[], [], 'c1', 'p1', true],
    [['c1'], [], 'c1', 'p1', true],
    [['c2'], [], 'c1', 'p1', false],
    [['c2'], ['p1'], 'c1', 'p1', true],
    [[], ['p2'], 'c1', 'p1', false],
  ])(
    'clients %j projects %j: %s/%s in scope = %p',
    (clientIds, projectIds, clientId, projectId, inScope) => {
      const policy = { ...DEFAULT_DELIVERY_POLICY, pilot: { clientIds, projectIds } };
      expect(inPilotScope(policy, { clientId, projectId })).toBe(inScope);
    },
  );
});

describe('re-escalation delay per severity', () => {
  test('a high escalation re-escalates 4 h after its acknowledge-by under the default', () => {
    expect(DEFAULT_DELIVERY_POLICY.reescalateAfterHours.high).toBe(4);
  });

  test('a policy saved with one delay for every severity validates with that delay for each', () => {
    const older = { ...DEFAULT_DELIVERY_POLICY, reescalateAfterHours: 6 };
    const r = validatePolicy(older);
    expect(r.ok && r.policy.reescalateAfterHours).toEqual({ low: 6, medium: 6, high: 6 });
  });

  test('a stored config with the old single number resolves per severity', () => {
    const config = {
      default: { ...DEFAULT_DELIVERY_POLICY, reescalateAfterHours: 2 },
      byProjectType: { Migration: { reescalateAfterHours: 1 } },
      byClient: {},
    } as unknown as DeliveryPolicyConfig;
    expect(
      resolvePolicy(config, { clientId: '1', projectType: null }).reescalateAfterHours,
    ).toEqual({ low: 2, medium: 2, high: 2 });
    expect(
      resolvePolicy(config, { clientId: '1', projectType: 'Migration' }).reescalateAfterHours,
    ).toEqual({ low: 1, medium: 1, high: 1 });
  });

  test('an override of one severity keeps the others', () => {
    const config: DeliveryPolicyConfig = {
      default: DEFAULT_DELIVERY_POLICY,
      byProjectType: {},
      byClient: { '7': { reescalateAfterHours: { high: 1 } } },
    };
    expect(
      resolvePolicy(config, { clientId: '7', projectType: null }).reescalateAfterHours,
    ).toEqual({ low: 4, medium: 4, high: 1 });
  });

  test.each([
    [{ low: 4, medium: 4, high: -1 }, 'reescalateAfterHours'],
    [{ low: 4, medium: 4 }, 'reescalateAfterHours'],
    [1e308, 'reescalateAfterHours'],
    [{ low: 4, medium: Number.NaN, high: 4 }, 'reescalateAfterHours'],
  ])('refuses a re-escalation delay of %p', (value, path) => {
    const r = validatePolicy({ ...DEFAULT_DELIVERY_POLICY, reescalateAfterHours: value });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.some((p) => p.startsWith(path))).toBe(true);
  });
});
