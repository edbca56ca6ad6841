/** A RAG badge: colour plus the word, so it never relies on colour alone. */
import { Badge } from '@fluentui/react-components';
import type { Rag } from '../../../src/api/dto';

const COLOURS: Record<Rag, 'danger' | 'warning' | 'success' | 'informative'> = {
  red: 'danger',
  amber: 'warning',
  green: 'success',
  unknown: 'informative',
};
const WORDS: Record<Rag, string> = {
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  unknown: 'Unknown',
};

/** Shows a RAG status as a labelled badge. */
export function RagBadge({ rag }: { rag: Rag }) {
  return (
    <Badge
      appearance="filled"
      color={COLOURS[rag]}
      shape="rounded"
      data-rag={rag}
      aria-label={`RAG ${WORDS[rag]}`}
    >
      {WORDS[rag]}
    </Badge>
  );
}

/** The word for a RAG status. */
export function ragWord(rag: Rag): string {
  return WORDS[rag];
}
