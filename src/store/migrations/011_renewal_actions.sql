-- Why the customer accepted or declined an uplift (the account manager's words, shown on the contract page).
ALTER TABLE uplift_opportunities ADD COLUMN decision_reason text;
