import type { RefComparison } from '../../store/slices/references';

/** Background for a similarity: darker zinc for low, amber for high; the number is always shown. */
function cellColour(value: number, measure: RefComparison['measure']): string {
  // Cosine of speaker embeddings rarely goes below 0 for speech; features live in (0, 1].
  const t = Math.min(1, Math.max(0, measure === 'encoder' ? value : (value - 0.3) / 0.7));
  return `rgba(251, 191, 36, ${(0.08 + 0.72 * t * t).toFixed(3)})`;
}

const KIND_LABEL = { clip: 'clip', target: 'voice (averaged)', stock: 'library voice' } as const;

/**
 * The similarity matrix as a table (values in the cells, colour only as emphasis). Cells of
 * two items from the same speaker are outlined: in a good matrix they stand out.
 */
export function SimilarityTable({ comparison }: { comparison: RefComparison }) {
  const { items, values, measure } = comparison;
  const n = items.length;
  return (
    <div className="overflow-x-auto">
      <table
        className="border-separate border-spacing-0.5 text-xs"
        data-testid="similarity-matrix"
        data-measure={measure}
      >
        <caption className="mb-2 text-left text-xs text-zinc-400">
          {measure === 'encoder'
            ? 'Cosine similarity of speaker embeddings (1 = same voice). Outlined cells pair items of the same speaker.'
            : 'Voice-feature similarity, no model (1 = identical features). Outlined cells pair items of the same speaker.'}
        </caption>
        <thead>
          <tr>
            <td />
            {items.map((item) => (
              <th
                key={item.key}
                scope="col"
                className="max-w-24 truncate px-1 pb-1 text-left font-medium text-zinc-300"
                title={`${item.label} (${KIND_LABEL[item.kind]})`}
              >
                {item.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((row, i) => (
            <tr key={row.key}>
              <th
                scope="row"
                className="max-w-40 truncate pr-2 text-left font-medium text-zinc-300"
                title={`${row.label} (${KIND_LABEL[row.kind]})`}
              >
                {row.label}
                <span className="ml-1 font-normal text-zinc-400">
                  {row.kind === 'stock' ? `· ${KIND_LABEL.stock}` : ''}
                </span>
              </th>
              {items.map((column, j) => {
                const value = values[i * n + j] ?? 0;
                const same = i !== j && row.group === column.group;
                return (
                  <td
                    key={column.key}
                    className={`h-9 w-14 rounded text-center tabular-nums text-zinc-100 ${same ? 'outline outline-2 -outline-offset-2 outline-emerald-400' : ''}`}
                    style={{ backgroundColor: i === j ? 'transparent' : cellColour(value, measure) }}
                    data-same={same}
                    aria-label={`${row.label} and ${column.label}: ${value.toFixed(2)}${same ? ', same speaker' : ''}`}
                  >
                    {i === j ? '—' : value.toFixed(2)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
