import { Application, TurnState } from './teams-ai';
import type { Request, Response, Server } from 'restify';
import { ControlTowerAdapter, type BotLogger } from './bot-adapter';
import { createBotAuthentication, type BotAuthOptions } from './bot-auth';

/**
 * A minimal echo bot on exactly the same stack as Control Tower's (restify, our CloudAdapter,
 * a teams-ai Application): the benchmark's floor for bot latency. It replies with the text it got
 * and answers any Action.Execute with a one-line card.
 */
export function mountEchoBot(server: Server, auth: BotAuthOptions, logger: BotLogger): void {
  const authentication = createBotAuthentication(auth);
  const adapter = new ControlTowerAdapter(authentication.authentication, logger);
  const app = new Application<TurnState>({ startTypingTimer: false, longRunningMessages: false });
  app.message(/.*/, async (context) => {
    await context.sendActivity(context.activity.text ?? '');
  });
  app.adaptiveCards.actionExecute('echo', async () => ({
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'echo', wrap: true }],
  }));
  server.post('/api/messages', async (req: Request, res: Response) => {
    await adapter.handle(req, res, (context) => app.run(context).then(() => undefined));
  });
}
