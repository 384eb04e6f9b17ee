import { useStudio } from '../../store/studio-store';
import { jobBusy, type CloneOffer } from '../../store/slices/clone';
import { discardOffer, resumeOffer, saveOffer } from './clone-offers';

function offerText(offer: CloneOffer): string {
  const best = offer.bestScore > 0 ? ` (best score ${offer.bestScore.toFixed(3)})` : '';
  if (offer.outcome === 'budget')
    return `A search for “${offer.targetName}” finished all ${offer.budget} evaluations${best} and was not saved.`;
  if (offer.outcome === 'cancelled')
    return `A search for “${offer.targetName}” was cancelled at evaluation ${offer.searchDone} of ${offer.budget}${best}.`;
  return `A search for “${offer.targetName}” stopped at evaluation ${offer.searchDone} of ${offer.budget}${best}.`;
}

const button = 'rounded border px-3 py-1 text-sm disabled:opacity-40';

/** Searches saved in IndexedDB but not running here (a reload, a closed tab, a crash): Resume · Save best · Discard. */
export function ResumeOffers() {
  const offers = useStudio((s) => s.cloneOffers);
  const busy = useStudio((s) => jobBusy(s.cloneJob?.state));
  if (offers.length === 0) return null;
  return (
    <section aria-label="Interrupted searches" className="flex flex-col gap-2" data-testid="clone-offers">
      {offers.map((offer) => (
        <div
          key={offer.jobId}
          className="flex flex-wrap items-center gap-3 rounded-lg border border-amber-400/40 bg-amber-400/5 p-3 text-sm"
          data-testid="clone-offer"
          data-evaluations={offer.evaluations}
        >
          <p className="min-w-0 flex-1 text-zinc-200">{offerText(offer)}</p>
          {offer.outcome !== 'budget' && (
            <button
              type="button"
              disabled={busy}
              onClick={() => void resumeOffer(offer.jobId)}
              className={`${button} border-amber-400 text-amber-200 hover:bg-amber-400/10`}
              data-testid="clone-offer-resume"
            >
              Resume
            </button>
          )}
          <button
            type="button"
            disabled={offer.bestScore <= 0}
            onClick={() => void saveOffer(offer.jobId)}
            className={`${button} border-zinc-600 hover:bg-zinc-800`}
            data-testid="clone-offer-save"
          >
            Save best
          </button>
          <button
            type="button"
            onClick={() => void discardOffer(offer.jobId)}
            className={`${button} border-zinc-700 text-zinc-300 hover:border-red-500 hover:text-red-300`}
            data-testid="clone-offer-discard"
          >
            Discard
          </button>
        </div>
      ))}
    </section>
  );
}
