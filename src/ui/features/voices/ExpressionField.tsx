import { useId } from 'react';
import { useStudio } from '../../store/studio-store';
import { setExpressionText } from './blend-actions';

function describeProblem(message: string): string {
  const text = message.replace(/ at \d+/, '');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The blend as text, in sync with the rows; a parse error is shown in place, with where it is. */
export function ExpressionField() {
  const id = useId();
  const text = useStudio((s) => s.blendExpression);
  const problem = useStudio((s) => s.blendExpressionProblem);
  const start = problem ? Math.min(problem.offset, text.length) : 0;
  const end = problem ? Math.min(start + Math.max(problem.length, 1), text.length) : 0;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={`${id}-expr`} className="text-sm font-semibold text-zinc-300">
        Expression
      </label>
      <input
        id={`${id}-expr`}
        data-testid="blend-expression"
        value={text}
        spellCheck={false}
        autoComplete="off"
        placeholder="af_bella - 0.5*af_sky + timbre(am_adam)"
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : `${id}-hint`}
        onChange={(e) => setExpressionText(e.target.value)}
        className={`rounded border bg-zinc-900 p-2 font-mono text-sm text-zinc-100 ${problem ? 'border-red-500' : 'border-zinc-700'}`}
      />
      {problem ? (
        <div
          id={`${id}-problem`}
          role="alert"
          data-testid="blend-expression-error"
          className="text-sm text-red-200"
        >
          <p>
            {describeProblem(problem.message)} (at character {problem.offset + 1})
          </p>
          <p aria-hidden="true" className="mt-1 whitespace-pre font-mono text-xs text-zinc-400">
            {text.slice(0, start)}
            <mark className="rounded-sm bg-red-500/40 text-red-50">{text.slice(start, end) || ' '}</mark>
            {text.slice(end)}
          </p>
        </div>
      ) : (
        <p id={`${id}-hint`} className="text-xs text-zinc-400">
          + − * / and parentheses; quote names with spaces (&quot;My voice&quot;); timbre(…) and prosody(…)
          act on one half.
        </p>
      )}
    </div>
  );
}
