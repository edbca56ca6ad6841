// Control Tower on Azure: one Linux App Service (≥ 2 instances) serving bot, tab and API; Azure Bot
// (single tenant) with the Teams channel; PostgreSQL flexible server; Key Vault (RBAC) holding every
// secret, read by the app through Key Vault references with a user-assigned managed identity, which
// is also the identity the app uses for Microsoft Graph (SharePoint evidence).
//
// Deployed by the toolkit's arm/deploy (teamsapp.yml) with infra/azure.parameters.json, or by hand:
//   az deployment group create -g <rg> -f infra/azure.bicep -p infra/azure.parameters.json ...

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

@description('Client id of the bot\'s Entra app registration (BOT_ID).')
param botAadAppClientId string

@description('Client secret of the bot\'s Entra app registration; stored in Key Vault.')
@secure()
param botAadAppClientSecret string

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

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'ctadmin'

@description('PostgreSQL administrator password; DATABASE_URL is built from it and stored in Key Vault.')
@secure()
param postgresAdminPassword string

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

var webAppName = '${resourceBaseName}-app'
var appHost = empty(customDomain) ? '${webAppName}.azurewebsites.net' : customDomain
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var databaseName = 'controltower'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-id'
  location: location
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: '${resourceBaseName}-kv'
  location: location
  properties: {
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

resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: '${resourceBaseName}-pg'
  location: location
  sku: {
    name: postgresSkuName
    tier: postgresSkuTier
  }
  properties: {
    version: '16'
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
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
    network: {
      publicNetworkAccess: 'Enabled'
    }
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
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

// 0.0.0.0–0.0.0.0 is Azure's "allow Azure services" rule: the App Service outbound addresses.
resource postgresAllowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
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

resource botPasswordValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'bot-password'
  properties: {
    value: botAadAppClientSecret
  }
}

resource databaseUrlValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'database-url'
  properties: {
    value: 'postgres://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/${databaseName}?sslmode=require'
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
  botPassword: '@Microsoft.KeyVault(SecretUri=${botPasswordValue.properties.secretUri})'
  databaseUrl: '@Microsoft.KeyVault(SecretUri=${databaseUrlValue.properties.secretUri})'
}

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
      linuxFxVersion: 'NODE|20-lts'
      alwaysOn: true
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      healthCheckPath: '/healthz'
      // The tab is built at deploy time (teamsapp.yml); start without npm's prestart rebuild.
      appCommandLine: 'node node_modules/tsx/dist/cli.mjs src/main.ts'
      appSettings: [
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
          value: kvRef.databaseUrl
        }
        {
          name: 'BOT_ID'
          value: botAadAppClientId
        }
        {
          name: 'BOT_PASSWORD'
          value: kvRef.botPassword
        }
        {
          name: 'BOT_TENANT_ID'
          value: tenant().tenantId
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
          value: tenant().tenantId
        }
        {
          name: 'ROLE_ASSIGNMENTS'
          value: empty(roleAssignmentsBase64) ? '[]' : base64ToString(roleAssignmentsBase64)
        }
      ]
    }
  }
  dependsOn: [
    secretsUser
    postgresDatabase
    postgresAllowAzure
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
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: tenant().tenantId
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
