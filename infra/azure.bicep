// Control Tower on Azure: one Linux App Service (Node 22 LTS, ≥ 2 instances) serving bot, tab and API
// from the built artefact (`npm run build:artifact`: dist/ + production node_modules); Azure Bot with the
// Teams channel; PostgreSQL flexible server with Microsoft Entra sign-in only; Key Vault (RBAC) holding
// the remaining secrets; one user-assigned managed identity that is the bot (no secret to expire), signs
// in to PostgreSQL, reads Key Vault references and calls Microsoft Graph (SharePoint evidence);
// optionally Application Insights.
//
// Two tenants matter: the Azure subscription's (tenant(): Key Vault, the managed identity, PostgreSQL's
// Entra administrator) and the Microsoft 365 tenant of the Teams users (m365TenantId: the tab's SSO app,
// the tenants allowed to call the tab API, an app-registration bot). They are often the same.
//
// Deployed by the toolkit's arm/deploy (teamsapp.yml) with infra/azure.parameters.json, or by hand:
//   az deployment group create -g <rg> -f infra/azure.bicep -p infra/azure.parameters.json ...
// The deployer needs Owner, or Contributor plus Role Based Access Control Administrator, on the
// resource group (it creates a role assignment); see docs/runbook.md.

@description('Prefix of every resource name: lower-case letters and digits, 3 to 20 characters.')
@minLength(3)
@maxLength(20)
param resourceBaseName string = 'ct${uniqueString(resourceGroup().id)}'

@description('Azure region of every regional resource.')
param location string = resourceGroup().location

@description('App Service plan SKU (Premium v3 for zone/instance scale).')
param webAppSku string = 'P1v3'

@description('App Service instances; two or more so one can restart while the other serves.')
@minValue(2)
param webAppInstanceCount int = 2

@description('Host name Teams loads the tab from. Empty: <web app>.azurewebsites.net. A custom domain must be bound to the web app separately (see docs/runbook.md).')
param customDomain string = ''

@description('Tenant key stamped on every row (TENANT_ID).')
param appTenantKey string = 'msp'

@description('Microsoft 365 tenant id of the Teams users (AAD_APP_TENANT_ID): the SSO app\'s tenant, the tenant allowed to call the tab API, and an app-registration bot\'s tenant.')
@minLength(36)
param m365TenantId string

@description('How the bot proves who it is. ManagedIdentity (default; empty means the same): the user-assigned identity, no secret. It lives in the subscription\'s tenant and Teams serves a single-tenant bot only in its own tenant, so use AppRegistration when the Microsoft 365 tenant is another one.')
@allowed([
  ''
  'ManagedIdentity'
  'AppRegistration'
])
param botIdentity string = 'ManagedIdentity'

@description('AppRegistration only: client id of the bot\'s single-tenant app registration in the Microsoft 365 tenant (BOT_ID).')
param botAadAppClientId string = ''

@description('AppRegistration only: its client secret; stored in Key Vault.')
@secure()
param botAadAppClientSecret string = ''

@description('Azure Bot SKU: F0 (free) or S1.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Client id of the tab SSO Entra app (AAD_APP_CLIENT_ID; webApplicationInfo.id).')
param ssoClientId string

@description('HaloPSA base URL, e.g. https://msp.halopsa.com.')
param haloUrl string

@description('HaloPSA API application client id.')
param haloClientId string

@description('HaloPSA API application client secret; stored in Key Vault.')
@secure()
param haloClientSecret string

@description('HaloPSA tenant for Halo-hosted instances; empty when not needed.')
param haloTenant string = ''

@description('Basic-auth user HaloPSA webhooks send.')
param haloWebhookUser string = 'halo'

@description('Basic-auth password HaloPSA webhooks send; stored in Key Vault.')
@secure()
param haloWebhookPassword string

@description('SharePoint site id (Graph) that holds evidence packs.')
param sharepointSiteId string

@description('ROLE_ASSIGNMENTS JSON, base64-encoded (JSON quotes do not survive the parameter file). Empty: no seeded roles.')
param roleAssignmentsBase64 string = ''

@description('PostgreSQL compute SKU name.')
param postgresSkuName string = 'Standard_B2s'

@description('PostgreSQL compute tier matching the SKU.')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

@description('PostgreSQL storage in GB.')
param postgresStorageGb int = 32

@description('Days of point-in-time restore kept by PostgreSQL (7 to 35).')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 14

@description('Deploy Application Insights (with a Log Analytics workspace) and attach it to the App Service without code changes.')
param enableApplicationInsights bool = false

@description('Changes the Key Vault\'s generated name. Set a new value to redeploy into a resource group recreated under an old name: a deleted vault keeps its name for 90 days (purge protection).')
param keyVaultNameSeed string = ''

var webAppName = '${resourceBaseName}-app'
var appHost = empty(customDomain) ? '${webAppName}.azurewebsites.net' : customDomain
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var databaseName = 'controltower'
var identityName = '${resourceBaseName}-id'
// Key Vault names are global: derived from this subscription, resource group and base name (15 characters).
var keyVaultName = 'kv${uniqueString(subscription().id, resourceGroup().id, resourceBaseName, keyVaultNameSeed)}'
var botUsesManagedIdentity = botIdentity != 'AppRegistration'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    // The vault authorises principals of the subscription's tenant (the managed identity).
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, identity.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Entra sign-in only: no password exists. The app signs in as the managed identity (DATABASE_AUTH=entra).
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${resourceBaseName}-pg'
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    storage: {
      storageSizeGB: postgresStorageGb
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: postgresBackupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    // Public endpoint, closed by the firewall except to the web app's outbound addresses (below).
    network: {
      publicNetworkAccess: 'Enabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Disabled'
      tenantId: tenant().tenantId
    }
  }
}

resource postgresDatabase 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: postgres
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

module postgresEntraAdmin 'modules/postgres-entra-admin.bicep' = {
  name: 'postgres-entra-admin'
  params: {
    serverName: postgres.name
    principalId: identity.properties.principalId
    principalName: identity.name
    tenantId: tenant().tenantId
  }
  dependsOn: [
    postgresDatabase
  ]
}

resource haloClientSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'halo-client-secret'
  properties: {
    value: haloClientSecret
  }
}

resource haloWebhookPasswordValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'halo-webhook-password'
  properties: {
    value: haloWebhookPassword
  }
}

resource botPasswordValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!botUsesManagedIdentity) {
  parent: keyVault
  name: 'bot-password'
  properties: {
    value: botAadAppClientSecret
  }
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = if (enableApplicationInsights) {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = if (enableApplicationInsights) {
  name: '${resourceBaseName}-ai'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: webAppInstanceCount
  }
  properties: {
    reserved: true
  }
}

// Versionless secret URIs: a rotated secret is picked up without a redeploy (see docs/runbook.md).
var kvRef = {
  haloClientSecret: '@Microsoft.KeyVault(SecretUri=${haloClientSecretValue.properties.secretUri})'
  haloWebhookPassword: '@Microsoft.KeyVault(SecretUri=${haloWebhookPasswordValue.properties.secretUri})'
}

// The identity's name is its PostgreSQL role; the password is a token the app fetches per connection.
var databaseUrl = 'postgres://${uriComponent(identityName)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=verify-full'

var botManagedIdentitySettings = [
  {
    name: 'BOT_ID'
    value: identity.properties.clientId
  }
  {
    name: 'BOT_MANAGED_IDENTITY'
    value: 'true'
  }
  {
    name: 'BOT_TENANT_ID'
    value: tenant().tenantId
  }
]
var botAppRegistrationSettings = [
  {
    name: 'BOT_ID'
    value: botAadAppClientId
  }
  {
    name: 'BOT_PASSWORD'
    value: '@Microsoft.KeyVault(SecretUri=${botPasswordValue.properties.secretUri})'
  }
  {
    name: 'BOT_TENANT_ID'
    value: m365TenantId
  }
]
var botAppSettings = botUsesManagedIdentity ? botManagedIdentitySettings : botAppRegistrationSettings

// Linux App Service attaches the Application Insights Node.js agent from these two settings.
var applicationInsightsSettings = [
  {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
    value: appInsights.properties.ConnectionString
  }
  {
    name: 'ApplicationInsightsAgent_EXTENSION_VERSION'
    value: '~3'
  }
]
var monitoringAppSettings = enableApplicationInsights ? applicationInsightsSettings : []

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      // The artefact is built before the upload (npm run build:artifact): the server only starts it.
      appCommandLine: 'node --max-old-space-size=320 dist/main.js'
      appSettings: concat([
        {
          name: 'SCM_DO_BUILD_DURING_DEPLOYMENT'
          value: 'false'
        }
        {
          name: 'LOG_LEVEL'
          value: 'info'
        }
        {
          name: 'TENANT_ID'
          value: appTenantKey
        }
        {
          name: 'HALO_URL'
          value: haloUrl
        }
        {
          name: 'HALO_CLIENT_ID'
          value: haloClientId
        }
        {
          name: 'HALO_CLIENT_SECRET'
          value: kvRef.haloClientSecret
        }
        {
          name: 'HALO_TENANT'
          value: haloTenant
        }
        {
          name: 'HALO_WEBHOOK_USER'
          value: haloWebhookUser
        }
        {
          name: 'HALO_WEBHOOK_PASSWORD'
          value: kvRef.haloWebhookPassword
        }
        {
          name: 'DATABASE_URL'
          value: databaseUrl
        }
        {
          name: 'DATABASE_AUTH'
          value: 'entra'
        }
        {
          name: 'DATABASE_MANAGED_IDENTITY_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'SHAREPOINT_SITE_ID'
          value: sharepointSiteId
        }
        {
          name: 'GRAPH_MANAGED_IDENTITY_CLIENT_ID'
          value: identity.properties.clientId
        }
        {
          name: 'TAB_SSO_CLIENT_ID'
          value: ssoClientId
        }
        {
          name: 'TAB_SSO_APP_ID_URI'
          value: 'api://${appHost}/${ssoClientId}'
        }
        {
          name: 'ALLOWED_TENANT_IDS'
          value: m365TenantId
        }
        {
          name: 'ROLE_ASSIGNMENTS'
          value: empty(roleAssignmentsBase64) ? '[]' : base64ToString(roleAssignmentsBase64)
        }
      ], botAppSettings, monitoringAppSettings)
    }
  }
  dependsOn: [
    secretsUser
    postgresEntraAdmin
  ]
}

module postgresFirewall 'modules/postgres-firewall.bicep' = {
  name: 'postgres-firewall'
  params: {
    serverName: postgres.name
    outboundIpAddresses: webApp.properties.possibleOutboundIpAddresses
  }
  dependsOn: [
    postgresEntraAdmin
  ]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${resourceBaseName}-bot'
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'Control Tower'
    endpoint: 'https://${appHost}/api/messages'
    msaAppId: botUsesManagedIdentity ? identity.properties.clientId : botAadAppClientId
    msaAppType: botUsesManagedIdentity ? 'UserAssignedMSI' : 'SingleTenant'
    msaAppMSIResourceId: botUsesManagedIdentity ? identity.id : null
    // A managed identity's tenant is the subscription's; an app registration's is Microsoft 365's.
    msaAppTenantId: botUsesManagedIdentity ? tenant().tenantId : m365TenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// Written by the toolkit into env/.env.<env> (upper-case output names become variables).
output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output TAB_DOMAIN string = appHost
output TAB_ENDPOINT string = 'https://${appHost}'
output BOT_DOMAIN string = appHost
output KEY_VAULT_NAME string = keyVault.name
output POSTGRES_SERVER_FQDN string = postgres.properties.fullyQualifiedDomainName
output MANAGED_IDENTITY_CLIENT_ID string = identity.properties.clientId
output MANAGED_IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
// The bot's id and tenant: teamsApp/zipAppPackage fills the manifest's bot id from BOT_ID.
output BOT_ID string = botUsesManagedIdentity ? identity.properties.clientId : botAadAppClientId
output BOT_TENANT_ID string = botUsesManagedIdentity ? tenant().tenantId : m365TenantId
output APPLICATION_INSIGHTS_NAME string = enableApplicationInsights ? appInsights.name : ''
