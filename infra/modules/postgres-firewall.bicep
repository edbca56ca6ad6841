// Lets the App Service's outbound addresses reach PostgreSQL, one firewall rule per address, instead of
// the 0.0.0.0 rule that admits every Azure customer's resources. A module because the addresses are
// known only once the web app exists (a loop in the main template must be known at the start).

@description('Name of the existing PostgreSQL flexible server.')
param serverName string

@description('Comma-separated IPv4 addresses (the web app\'s possibleOutboundIpAddresses).')
param outboundIpAddresses string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' existing = {
  name: serverName
}

var addresses = filter(split(outboundIpAddresses, ','), address => !empty(trim(address)))

// One at a time: the server accepts a single firewall operation at once.
@batchSize(1)
resource rules 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2024-08-01' = [
  for (address, i) in addresses: {
    parent: server
    name: 'app-outbound-${i}'
    properties: {
      startIpAddress: trim(address)
      endIpAddress: trim(address)
    }
  }
]
