/** How a contract is named on cards and in the tab. */
export interface ContractLabel {
  contractId: number;
  ref: string;
  clientId: number | null;
  clientName: string;
  contractType: string | null;
  ownerAgentId: number | null;
  ownerName: string | null;
  ownerEmail: string | null;
  endDate: string | null;
}

/** A contract's recurring charge and cost per billing period. */
export interface ContractMoney {
  periodCharge: number | null;
  costPerPeriod: number | null;
  billingPeriod: string | null;
  contractType: string | null;
}

/** A contract's term and charge, for retention. */
export interface ContractTerm {
  contractId: number;
  clientId: number | null;
  contractType: string | null;
  startDate: string | null;
  endDate: string | null;
  periodCharge: number | null;
  billingPeriod: string | null;
  /** False when HaloPSA marks the contract inactive; null or absent when unknown. */
  active?: boolean | null;
}

/** The mirrored HaloPSA contracts of one tenant, as the renewal loop reads them. */
export interface ContractCatalog {
  /** Display labels (reference, client, owner) by contract id; every contract when `contractIds` is null. */
  contractLabels(contractIds: readonly number[] | null): Promise<Map<number, ContractLabel>>;
  /** The recurring figures (per period, as HaloPSA holds them), by id. */
  contractMoney(contractIds: readonly number[] | null): Promise<Map<number, ContractMoney>>;
  /** Every contract's term and recurring charge (for retention: who renewed, contracted, churned). */
  contractTerms(): Promise<ContractTerm[]>;
}
