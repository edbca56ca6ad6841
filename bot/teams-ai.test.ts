import { execFileSync } from 'node:child_process';
import path from 'node:path';

test("the bot's teams-ai leaves the AI half (and the GPT tokenizer) unloaded", () => {
  // In a process of its own: what a fresh process loads for the bot, not what jest has loaded.
  const loaded = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `require(${JSON.stringify(path.join(__dirname, 'bot-app.ts'))});
       require(${JSON.stringify(path.join(__dirname, 'echo-bot.ts'))});
       process.stdout.write(JSON.stringify(Object.keys(require.cache)));`,
    ],
    { cwd: path.join(__dirname, '..'), encoding: 'utf8' },
  );
  const modules = JSON.parse(loaded) as string[];
  expect(modules.some((m) => m.includes('@microsoft/teams-ai'))).toBe(true);
  expect(modules.filter((m) => m.includes('gpt-tokenizer'))).toEqual([]);
});
