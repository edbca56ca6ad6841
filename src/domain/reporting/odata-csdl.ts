/**
 * The feed's `$metadata`: the OData v4 CSDL XML document (EDMX 4.0) of {@link ENTITY_SETS}, one
 * EntityType per set with its key and typed properties, and one EntityContainer naming the sets.
 */
import { ENTITY_SETS, ODATA_CONTAINER, ODATA_NAMESPACE, type EntitySetModel } from './odata-model';

function entityType(set: EntitySetModel): string {
  const keys = set.key.map((name) => `<PropertyRef Name="${name}"/>`).join('');
  const properties = set.properties
    .map(
      (prop) =>
        `<Property Name="${prop.name}" Type="${prop.type}"${prop.nullable ? '' : ' Nullable="false"'}/>`,
    )
    .join('\n        ');
  return [
    `      <EntityType Name="${set.entityType}">`,
    `        <Key>${keys}</Key>`,
    `        ${properties}`,
    `      </EntityType>`,
  ].join('\n');
}

/** The CSDL document every client reads first. */
export function csdlDocument(): string {
  const sets = ENTITY_SETS.map(
    (set) =>
      `        <EntitySet Name="${set.name}" EntityType="${ODATA_NAMESPACE}.${set.entityType}"/>`,
  ).join('\n');
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '  <edmx:DataServices>',
    `    <Schema Namespace="${ODATA_NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">`,
    ...ENTITY_SETS.map(entityType),
    `      <EntityContainer Name="${ODATA_CONTAINER}">`,
    sets,
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '</edmx:Edmx>',
    '',
  ].join('\n');
}
