/**
 * Who you are in the Microsoft 365 Agents Playground. It has no user switch: its current user comes
 * from `.m365agentsplayground.yml` in the directory it starts from (`currentUser`, and a `users` list
 * of at least five, ids unique). This writes that file with one demo persona as the current user and
 * the rest of the cast as the other users.
 */
import { DEMO_CAST, type DemoCastMember } from './demo-personas';

/** The Playground's config file name (it reads it from its working directory). */
export const PLAYGROUND_CONFIG_FILE = '.m365agentsplayground.yml';

/**
 * The persona `wanted` names: a full name, a first name or a role (`pmo_lead`), case-insensitive;
 * or what to type instead.
 */
export function findPersona(
  wanted: string,
): { ok: true; persona: DemoCastMember } | { ok: false; message: string } {
  const text = wanted.trim().toLowerCase();
  const byName = DEMO_CAST.filter(
    (p) => p.name.toLowerCase() === text || p.name.split(' ')[0]!.toLowerCase() === text,
  );
  const byRole = DEMO_CAST.filter((p) => p.roles.some((r) => r === text));
  const found = byName.length === 1 ? byName : byRole.length === 1 ? byRole : [];
  if (found[0]) return { ok: true, persona: found[0] };
  return {
    ok: false,
    message: `"${wanted}" is not one demo persona. Use one of: ${DEMO_CAST.map(
      (p) => `${p.name.split(' ')[0]!.toLowerCase()} (${p.name}, ${p.roles.join(', ')})`,
    ).join('; ')}.`,
  };
}

/** "megan@example.com" style addresses, as the Playground's default file has them. */
function playgroundEmail(name: string): string {
  const [first = '', last = ''] = name.toLowerCase().split(' ');
  return `${first}${last.slice(0, 1)}@example.com`;
}

function userYaml(p: DemoCastMember, indent: string): string {
  const [givenName = '', surname = ''] = p.name.split(' ');
  const email = playgroundEmail(p.name);
  return [
    `id: user-id-${DEMO_CAST.indexOf(p)}`,
    `name: ${JSON.stringify(p.name)}`,
    `userPrincipleName: ${email}`,
    `aadObjectId: ${p.aadObjectId}`,
    `givenName: ${JSON.stringify(givenName)}`,
    `surname: ${JSON.stringify(surname)}`,
    `email: ${email}`,
  ]
    .map((line, i) => (i === 0 ? line : `${indent}${line}`))
    .join('\n');
}

/**
 * The Playground config with `persona` as the current user: the Playground's own default file with
 * the demo cast in it (tenant, bot, chats and team as the default has them; `userPrincipleName` is
 * the Playground's spelling).
 */
export function playgroundConfig(persona: DemoCastMember): string {
  const others = DEMO_CAST.filter((p) => p !== persona);
  return [
    '# Written by `npm run playground -- --as <persona>` (src/demo/playground-persona.ts): who you are',
    '# in the Agents Playground. Run it again with another persona to switch.',
    'version: "0.1.1"',
    'tenantId: 00000000-0000-0000-0000-0000000000001',
    'bot:',
    '  id: 00000000-0000-0000-0000-00000000000011',
    '  name: Control Tower',
    'currentUser:',
    `  ${userYaml(persona, '  ')}`,
    'users:',
    ...others.map((p) => `  - ${userYaml(p, '    ')}`),
    'personalChat:',
    '  id: __PERSONAL_CHAT_ID__',
    'groupChat:',
    '  id: __GROUP_CHAT_ID__',
    '  name: Group Chat',
    'team:',
    '  id: team-id',
    '  name: My Team',
    '  aadGroupId: 00000000-0000-0000-0000-000000000031',
    '  channels:',
    '    - id: channel-announcements-id',
    '      name: Announcements',
    '',
  ].join('\n');
}
