/**
 * The V8 heap the app runs with in production (`npm run start:prod`, infra/azure.bicep's
 * appCommandLine): Node otherwise sizes its heap from the machine (4 GB on a 24 GB host) and lets
 * garbage pile up far past the app's 512 MB memory target before collecting it. Every process of
 * the benchmark that stands in for the app runs with the same flag, so memory is measured as
 * deployed.
 */
export const APP_HEAP_FLAG = '--max-old-space-size=320';
