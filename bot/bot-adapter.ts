import { CloudAdapter, type Activity, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult, BotFrameworkAuthentication } from 'botframework-connector';
import type { Request, Response } from 'restify';

/** Logging the bot needs (pino's shape). */
export interface BotLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Thrown for a request that is not a Bot Framework activity. */
export class BadActivityError extends Error {
  readonly code = 'BOT_BAD_ACTIVITY';
  readonly kind = 'user';
}

/**
 * The CloudAdapter with our own HTTP edge: every authentication failure (including forged signatures
 * and wrong algorithms, which the SDK reports as plain errors) answers 401, internal failures answer 500
 * without details, and everything is logged through our logger instead of `console.error`.
 */
export class ControlTowerAdapter extends CloudAdapter {
  constructor(
    authentication: BotFrameworkAuthentication,
    private readonly logger: BotLogger,
  ) {
    super(authentication);
  }

  /** Handles one `POST /api/messages`. */
  async handle(
    req: Request,
    res: Response,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    let activity: Activity;
    try {
      activity = readActivity(req.body);
    } catch (error) {
      res.send(400, { error: error instanceof Error ? error.message : 'bad request' });
      return;
    }
    const header = req.headers.authorization;
    const authHeader = typeof header === 'string' ? header : '';

    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await this.botFrameworkAuthentication.authenticateRequest(
        activity,
        authHeader,
      );
    } catch (error) {
      this.logger.warn(
        {
          reason: error instanceof Error ? error.message : String(error),
          activityType: activity.type,
        },
        'bot request refused: authentication failed',
      );
      res.send(401, { error: 'unauthorized' });
      return;
    }

    try {
      const invokeResponse = await this.processActivity(authenticated, activity, logic);
      if (invokeResponse) res.send(invokeResponse.status, invokeResponse.body);
      else res.send(200);
    } catch (error) {
      this.logger.error({ err: error, activityType: activity.type }, 'bot turn failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  }
}

function readActivity(body: unknown): Activity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadActivityError('the body must be a JSON activity');
  }
  const activity = body as Partial<Activity>;
  if (typeof activity.type !== 'string' || activity.type === '') {
    throw new BadActivityError('the activity has no type');
  }
  if (typeof activity.serviceUrl !== 'string' || activity.conversation?.id === undefined) {
    throw new BadActivityError('the activity has no serviceUrl or conversation');
  }
  if (typeof activity.timestamp === 'string') activity.timestamp = new Date(activity.timestamp);
  if (typeof activity.localTimestamp === 'string')
    activity.localTimestamp = new Date(activity.localTimestamp);
  return activity as Activity;
}
