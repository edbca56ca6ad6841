/**
 * The layer graph of STYLE.md, checked (`npm run lint:deps`, part of `npm test`).
 *
 *   tab/src ─▶ src/api/dto.ts (types only: the one DTO module)
 *   bot/, src/api ─▶ src/app ─▶ src/domain ─▶ src/shared
 *   src/store, src/halo, src/evidence, src/documents, src/notifications, src/audit, src/jobs ─▶ src/app (ports)
 *   src/modules (one composition module per feature) and src/main.ts compose everything.
 *
 * Tools that run outside the server (bench, replay, CLIs, the app package) are composition roots too.
 */
const DOMAIN = '^src/(domain|shared)/';
const ADAPTERS = '^src/(store|halo|evidence|documents|notifications|audit|jobs)/';
const COMPOSITION = '^(src/(main|audit-verify|package-app)\\.ts|src/(modules|bench|replay|demo)/)';

/** Node built-ins and packages that do I/O or carry an SDK: never in the domain or the use cases. */
const IO_PACKAGES =
  '^(node_modules/)?(pg|@electric-sql/pglite|restify|botbuilder[^/]*|botframework-[^/]+|@microsoft/teams-ai|@microsoft/microsoft-graph-client|@azure/identity|pino|prom-client|croner|jose|openai|exceljs|pdfkit)(/|$)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles hide layering mistakes and make load order matter.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment: 'src/domain and src/shared import only each other: no I/O, no SDK, no other layer.',
      from: { path: DOMAIN },
      to: { pathNot: [DOMAIN, '^node_modules/zod/'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-types-are-pure',
      severity: 'error',
      comment: 'Not even types: the domain knows nothing of the layers around it.',
      from: { path: DOMAIN },
      to: { path: '^(src/(?!domain/|shared/)|bot/|tab/)' },
    },
    {
      name: 'app-depends-on-domain-and-its-ports',
      severity: 'error',
      comment:
        'Use cases see the domain and the ports they declare; adapters implement those ports. ' +
        'No adapter, no composition, no configuration, no web or bot face.',
      from: { path: '^src/app/' },
      to: {
        path: [
          '^src/(store|halo|evidence|documents|notifications|audit|jobs|api|server|observability|modules|bench|replay|demo)/',
          '^src/[^/]+\\.ts$',
          '^bot/',
          '^tab/',
        ],
      },
    },
    {
      name: 'app-does-no-io',
      severity: 'error',
      comment: 'Use cases reach I/O only through ports.',
      from: { path: '^src/app/' },
      to: { path: IO_PACKAGES },
    },
    {
      name: 'app-no-node-builtins',
      severity: 'error',
      comment: 'Ids, hashes and time come through ports, so use cases run against fakes.',
      from: { path: ['^src/app/', DOMAIN] },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'faces-call-use-cases-only',
      severity: 'error',
      comment:
        'bot/ and src/api are two faces of the same use cases: no repository, SQL driver, outbox, ' +
        'audit log, HaloPSA client or evidence store, and no composition module.',
      from: { path: '^(bot|src/api)/' },
      to: { path: [ADAPTERS, '^src/(modules|bench|replay|demo)/', '^src/main\\.ts$'] },
    },
    {
      name: 'bot-and-api-apart',
      severity: 'error',
      comment: 'The bot and the web API do not know each other.',
      from: { path: '^bot/' },
      to: { path: '^src/api/' },
    },
    {
      name: 'api-not-bot',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^bot/' },
    },
    {
      name: 'adapters-implement-ports',
      severity: 'error',
      comment:
        'Adapters (store, halo, evidence, notifications, audit, jobs) depend on the ports they ' +
        'implement, never on a face (bot, api, tab) or on a composition module.',
      from: { path: ADAPTERS },
      to: {
        path: ['^bot/', '^src/api/', '^tab/', '^src/(modules|bench|replay)/', '^src/main\\.ts$'],
      },
    },
    {
      name: 'store-holds-no-rules',
      severity: 'error',
      comment:
        'Repositories store and load; business rules live in src/domain, use cases in src/app.',
      from: { path: '^src/store/' },
      to: { path: '^src/app/', pathNot: '(\\.port|-views|-payloads)\\.ts$' },
    },
    {
      name: 'tab-shares-only-contracts',
      severity: 'error',
      comment: 'The tab runs in the browser and talks only to /api/v1: it imports the DTO types.',
      from: { path: '^tab/src/' },
      to: { path: '^(src|bot)/', pathNot: '^src/api/dto\\.ts$' },
    },
    {
      name: 'tab-runs-in-the-browser',
      severity: 'error',
      from: { path: '^tab/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'tab-contracts-type-only',
      severity: 'error',
      comment: 'The tab imports the DTOs type-only: nothing of the server is bundled.',
      from: { path: '^tab/src/' },
      to: { path: '^src/api/dto\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'composition-is-a-root',
      severity: 'error',
      comment: 'Only src/main.ts and the tools compose features; nothing else imports them.',
      from: { pathNot: COMPOSITION },
      to: { path: '^src/(modules|bench|replay)/|^src/main\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['node_modules', '(^|/)dist/', '^tests/', '\\.test\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
