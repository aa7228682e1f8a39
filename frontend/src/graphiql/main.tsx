// GraphiQL from npm, with the explorer plugin and a query-plan panel beside the result.
// Built into dist/graphiql.html; the gateway serves it at GET /graphql outside production.
import { explorerPlugin } from '@graphiql/plugin-explorer'
import '@graphiql/plugin-explorer/style.css'
import { createGraphiQLFetcher } from '@graphiql/toolkit'
import { GraphiQL } from 'graphiql'
import 'graphiql/style.css'
import { StrictMode, useMemo, useRef, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { type PlanState, planFetch } from './plan'
import './playground.css'

const DEFAULT_QUERY = `# Products from the products subgraph; run it with Ctrl-Enter.
# The query plan of every operation shows on the right.
query Catalogue {
  products(page: 1, pageSize: 5) {
    items { sku name price stock }
    pageInfo { totalCount }
  }
}
`

const explorer = explorerPlugin()

function Playground() {
  const [plan, setPlan] = useState<PlanState>({ kind: 'none' })
  const [wantPlan, setWantPlan] = useState(true)
  const wantRef = useRef(wantPlan)
  wantRef.current = wantPlan
  const fetcher = useMemo(
    () =>
      createGraphiQLFetcher({
        url: window.location.pathname,
        fetch: planFetch(window.fetch.bind(window), () => wantRef.current, setPlan),
      }),
    [],
  )
  return (
    <div className="playground-layout">
      <div className="playground-editor">
        <GraphiQL fetcher={fetcher} plugins={[explorer]} defaultQuery={DEFAULT_QUERY} defaultEditorToolsVisibility="headers" />
      </div>
      <aside className="plan-panel" aria-labelledby="plan-heading">
        <h2 id="plan-heading">Query plan</h2>
        <label className="plan-toggle">
          <input type="checkbox" checked={wantPlan} onChange={(e) => setWantPlan(e.target.checked)} /> Ask the gateway for
          the plan (<code>X-Query-Plan: true</code>)
        </label>
        {plan.kind === 'none' && <p className="plan-note">Run an operation to see how the gateway splits it across the subgraphs.</p>}
        {plan.kind === 'absent' && <p className="plan-note">{plan.reason}</p>}
        {plan.kind === 'plan' && (
          <>
            {plan.operationName && <p className="plan-note">Plan of {plan.operationName}</p>}
            <pre className="plan-text" data-testid="query-plan">{plan.text}</pre>
          </>
        )}
      </aside>
    </div>
  )
}

createRoot(document.getElementById('graphiql')!).render(
  <StrictMode>
    <Playground />
  </StrictMode>,
)
