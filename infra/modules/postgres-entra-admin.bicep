// Makes a managed identity a Microsoft Entra administrator of a PostgreSQL flexible server, so the app
// signs in with the identity's token (DATABASE_AUTH=entra) and owns the schema its migrations create.
// A module because the administrator's resource name is the identity's object id, which is known
// only once the identity exists (a resource name in the main template must be known at the start).

@description('Name of the existing PostgreSQL flexible server.')
param serverName string

@description('Object (principal) id of the managed identity.')
param principalId string

@description('Name of the managed identity: the PostgreSQL role name the app signs in as.')
param principalName string

@description('Entra tenant of the managed identity (the Azure subscription\'s tenant).')
param tenantId string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' existing = {
  name: serverName
}

resource administrator 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2024-08-01' = {
  parent: server
  name: principalId
  properties: {
    principalName: principalName
    principalType: 'ServicePrincipal'
    tenantId: tenantId
  }
}
