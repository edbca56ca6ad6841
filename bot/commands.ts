/**
 * The text commands: anchored, case-insensitive patterns (teams-ai strips the @mention first, so a
 * channel message "@Control Tower /health Contoso" arrives as " /health Contoso").
 */
export const COMMAND_PATTERNS = {
  health: /^\s*\/health(?:\s+(?<arg>\S.*?))?\s*$/is,
  report: /^\s*\/report\s*$/i,
  subscribe: /^\s*\/subscribe(?:\s+(?<arg>\S.*?))?\s*$/is,
  help: /^\s*\/help(?:\s.*)?$/is,
  gates: /^\s*\/gates\s*$/i,
  gate: /^\s*\/gate(?:\s+(?<arg>\S.*?))?\s*$/is,
  renewals: /^\s*\/renewals(?:\s+(?<arg>\S.*?))?\s*$/is,
  renewal: /^\s*\/renewal(?:\s+(?<arg>\S.*?))?\s*$/is,
} as const;

export type CommandName = keyof typeof COMMAND_PATTERNS;

/** The argument text after a command ("" when none). */
export function commandArgument(command: CommandName, text: string | undefined): string {
  const match = COMMAND_PATTERNS[command].exec(normalise(text ?? ''));
  return match?.groups?.arg?.trim() ?? '';
}

/** Teams sometimes sends non-breaking spaces and HTML entities around mentions. */
export function normalise(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/\u00a0/g, ' ')
    .trim();
}
