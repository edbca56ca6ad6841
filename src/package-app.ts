import path from 'node:path';
import { buildAppPackage } from './app-package/app-package';
import { ConfigError, loadPackagingConfigFromProcess } from './config';

/** `npm run package`: fills manifest/manifest.json, validates it and its icons, writes the Teams app zip. */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const values = loadPackagingConfigFromProcess();
  const result = await buildAppPackage({
    manifestDir: path.join(root, 'manifest'),
    outDir: path.join(root, 'build', 'appPackage'),
    values,
  });
  if (values.fake) {
    process.stdout.write(
      'No TEAMS_APP_ID / BOT_ID / TAB_DOMAIN / AAD_APP_CLIENT_ID set: packaged with fake local values (for a look, not for upload).\n',
    );
  }
  process.stdout.write(`${result.zipPath}\n`);
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
