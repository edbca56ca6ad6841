/**
 * The subset of Adaptive Cards 1.5 our cards use, typed so a builder cannot produce an element the
 * schema rejects. Every property here exists in the official 1.5 schema.
 */

export type CardColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';

/** Spacing before an element. */
export type CardSpacing =
  'none' | 'small' | 'default' | 'medium' | 'large' | 'extraLarge' | 'padding';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  size?: 'small' | 'default' | 'medium' | 'large' | 'extraLarge';
  weight?: 'lighter' | 'default' | 'bolder';
  color?: CardColor;
  isSubtle?: boolean;
  maxLines?: number;
  spacing?: CardSpacing;
  separator?: boolean;
  style?: 'default' | 'heading';
}

export interface FactSet {
  type: 'FactSet';
  facts: { title: string; value: string }[];
  spacing?: CardSpacing;
  separator?: boolean;
}

/** One column of a ColumnSet. */
export interface Column {
  type: 'Column';
  items: CardElement[];
  width?: 'auto' | 'stretch' | number;
  verticalContentAlignment?: 'top' | 'center' | 'bottom';
}

/** Side-by-side columns (stack on narrow screens). */
export interface ColumnSet {
  type: 'ColumnSet';
  columns: Column[];
  spacing?: CardSpacing;
  separator?: boolean;
}

/** A group of elements, optionally tappable. */
export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';
  spacing?: CardSpacing;
  separator?: boolean;
  selectAction?: ExecuteAction | SubmitAction | OpenUrlAction;
}

/** Buttons inside the body. */
export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
  spacing?: CardSpacing;
}

/** Free-text input. */
export interface InputText {
  type: 'Input.Text';
  id: string;
  label?: string;
  placeholder?: string;
  isMultiline?: boolean;
  maxLength?: number;
  isRequired?: boolean;
  errorMessage?: string;
}

/** Date input (yyyy-mm-dd). */
export interface InputDate {
  type: 'Input.Date';
  id: string;
  label?: string;
  min?: string;
  max?: string;
  value?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

/** Number input (a discount in percent). */
export interface InputNumber {
  type: 'Input.Number';
  id: string;
  label?: string;
  min?: number;
  max?: number;
  value?: number;
  placeholder?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

/** A choice list. */
export interface InputChoiceSet {
  type: 'Input.ChoiceSet';
  id: string;
  label?: string;
  choices: { title: string; value: string }[];
  style?: 'compact' | 'expanded' | 'filtered';
  placeholder?: string;
  isRequired?: boolean;
  errorMessage?: string;
}

/** Every element our cards use. */
export type CardElement =
  | TextBlock
  | FactSet
  | ColumnSet
  | Container
  | ActionSet
  | InputText
  | InputDate
  | InputNumber
  | InputChoiceSet;

/** Data sent with Action.Submit; `verb` routes it (teams-ai's `actionSubmit` filter). */
export type SubmitData = { verb: string } & Record<string, string | number | boolean | null>;

/** Legacy submit (fallback for clients without Universal Actions). */
export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: SubmitData;
  style?: 'default' | 'positive' | 'destructive';
}

/** Universal Action: an `adaptiveCard/action` invoke to the bot. */
export interface ExecuteAction {
  type: 'Action.Execute';
  title?: string;
  verb: string;
  data?: Record<string, string | number | boolean | null>;
  associatedInputs?: 'auto' | 'none';
  style?: 'default' | 'positive' | 'destructive';
  fallback?: SubmitAction;
}

/** Opens a link (the tab deep link). */
export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

/** Reveals a sub-card (inputs for an action). */
export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions?: CardAction[] };
}

/** Every action our cards use. */
export type CardAction = ExecuteAction | SubmitAction | OpenUrlAction | ShowCardAction;

/** A top-level Adaptive Card, schema 1.5. */
export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  version: '1.5';
  body: CardElement[];
  actions?: CardAction[];
  refresh?: { action: ExecuteAction; userIds?: string[] };
  fallbackText?: string;
  speak?: string;
}
