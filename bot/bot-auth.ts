import {
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
// Types only (erased): botframework-connector is botbuilder's own dependency.
import type {
  BotFrameworkAuthentication,
  ServiceClientCredentials,
  ServiceClientCredentialsFactory,
} from 'botframework-connector';

/** The `ConfigurationBotFrameworkAuthentication` endpoint settings (all or none: see teams-platform.md). */
export interface BotFrameworkEndpointSettings {
  ToBotFromChannelOpenIdMetadataUrl: string;
  ToBotFromEmulatorOpenIdMetadataUrl: string;
  ToBotFromChannelTokenIssuer: string;
  ToChannelFromBotLoginUrl: string;
  ToChannelFromBotOAuthScope: string;
  OAuthUrl: string;
  CallerId: string;
  ValidateAuthority: boolean;
}

/** How the bot authenticates, from AppConfig (`bot.*`, `mode`). */
export interface BotAuthOptions {
  mode: 'demo' | 'production';
  appId: string | null;
  password: string | null;
  managedIdentity: boolean;
  tenantId: string | null;
  /** Tests and private clouds: every endpoint setting (tests point them at a loopback JWKS). */
  endpoints?: BotFrameworkEndpointSettings;
  /** Tests and benchmarks: outbound credentials (e.g. `UnsignedCredentialsFactory`). */
  credentialsFactory?: ServiceClientCredentialsFactory;
}

/** What the adapter and the proactive connector share. */
export interface BotAuthentication {
  authentication: BotFrameworkAuthentication;
  credentialsFactory: ServiceClientCredentialsFactory;
  /** False in demo mode: inbound activities are not checked. */
  enabled: boolean;
}

/** The public-cloud login endpoint credentials are created for (single-tenant bots use their tenant). */
export const PUBLIC_LOGIN_ENDPOINT = 'https://login.microsoftonline.com/botframework.com';
/** The audience of tokens the bot sends to the connector. */
export const CONNECTOR_SCOPE = 'https://api.botframework.com';

/**
 * Credentials that never request a token: for loopback connectors (the connector double in tests, the
 * benchmark). Inbound checks still run: the app id is valid when it equals the configured one.
 */
export class UnsignedCredentialsFactory implements ServiceClientCredentialsFactory {
  constructor(private readonly appId: string | null) {}

  /** Accepts only the configured app id. */
  async isValidAppId(appId: string): Promise<boolean> {
    return this.appId !== null && appId === this.appId;
  }

  /** Disabled only when no app id is configured. */
  async isAuthenticationDisabled(): Promise<boolean> {
    return this.appId === null;
  }

  /** Credentials that leave requests unsigned (no Authorization header, no call to Entra ID). */
  async createCredentials(): Promise<ServiceClientCredentials> {
    return { signRequest: async (request) => request };
  }
}

/**
 * Builds inbound authentication. Demo mode has no app id: the SDK then skips JWT checks (auth off).
 * Production validates Bot Framework JWTs: issuer, RS256 signature from the OpenID JWKS, audience = app id,
 * `serviceurl` = the activity's serviceUrl, and channel endorsements.
 */
export function createBotAuthentication(options: BotAuthOptions): BotAuthentication {
  const appId = options.mode === 'demo' ? null : options.appId;
  const identity = {
    MicrosoftAppId: appId ?? undefined,
    MicrosoftAppPassword: options.managedIdentity ? undefined : (options.password ?? undefined),
    MicrosoftAppType:
      appId === null ? undefined : options.managedIdentity ? 'UserAssignedMSI' : 'SingleTenant',
    MicrosoftAppTenantId: options.tenantId ?? undefined,
  };
  // Password or managed identity, chosen by MicrosoftAppType; never read from process.env.
  const credentialsFactory: ServiceClientCredentialsFactory =
    options.credentialsFactory ?? new ConfigurationServiceClientCredentialFactory(identity);
  const settings: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: identity.MicrosoftAppId,
    MicrosoftAppType: identity.MicrosoftAppType,
    MicrosoftAppTenantId: identity.MicrosoftAppTenantId,
    ...(options.endpoints ?? {}),
  };
  return {
    authentication: new ConfigurationBotFrameworkAuthentication(settings, credentialsFactory),
    credentialsFactory,
    enabled: appId !== null,
  };
}
