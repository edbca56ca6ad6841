/**
 * teams-ai's Application and TurnState, from their own modules: the package's index also loads its
 * AI half (planners, prompt templates, and the GPT tokenizer with its 100,000-entry table: about
 * 11 MB of heap for the life of the process, which every full garbage collection walks), and the
 * bot uses none of it.
 */
export { Application } from '@microsoft/teams-ai/lib/Application';
export { TurnState } from '@microsoft/teams-ai/lib/TurnState';
