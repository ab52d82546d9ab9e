import { useId } from 'react';
import type { EventStatsDto } from '../../../../shared/stats';
import { useI18n } from '../../i18n/i18n';
import { TagIcon } from '../leads/TagBadge';
import { edgeTone, MAX_NODES, NetworkGraph } from './NetworkGraph';

/** The company network with its legend and a text list of every pair. */
export function NetworkPanel({ network }: { network: EventStatsDto['network'] }) {
  const { t, locale } = useI18n();
  const titleId = useId();
  const fmt = new Intl.NumberFormat(locale);
  const names = new Map(network.nodes.map((n) => [n.id, n.company]));
  const nodes = network.nodes.map((n) => ({ id: n.id, name: n.company }));
  const pairs = [...network.edges].sort((a, b) => b.count - a.count);
  const summary = t('pulse.network.summary', {
    companies: fmt.format(network.nodes.length),
    pairs: fmt.format(network.edges.length),
  });

  return (
    <figure className="chart network-panel" aria-labelledby={titleId}>
      <figcaption id={titleId} className="chart-title">
        {t('pulse.network.title')}
      </figcaption>
      <p className="chart-summary">{summary}</p>
      {pairs.length === 0 ? (
        <p className="hint">
          {t('pulse.network.empty', { min: fmt.format(network.minPairHandshakes) })}
        </p>
      ) : (
        <>
          <ul className="network-legend">
            <li>
              <span className="legend-line tone-cooperation" aria-hidden="true" />
              <TagIcon tag="cooperation" size={18} />
              {t('pulse.network.legendCooperation')}
            </li>
            <li>
              <span className="legend-line legend-dashed tone-competition" aria-hidden="true" />
              <TagIcon tag="competition" size={18} />
              {t('pulse.network.legendCompetition')}
            </li>
            <li>
              <span className="legend-line tone-neutral" aria-hidden="true" />
              {t('pulse.network.legendNeutral')}
            </li>
            <li className="hint">{t('pulse.network.legendWidth')}</li>
          </ul>
          <NetworkGraph nodes={nodes} edges={network.edges} summary={summary} />
          {network.nodes.length > MAX_NODES && (
            <p className="hint">{t('pulse.network.truncated', { count: fmt.format(MAX_NODES) })}</p>
          )}
        </>
      )}
      <p className="hint">
        {t('pulse.network.privacy', { min: fmt.format(network.minPairHandshakes) })}
      </p>
      {pairs.length > 0 && (
        <details className="chart-table">
          <summary>{t('pulse.network.list')}</summary>
          <table>
            <caption className="visually-hidden">{t('pulse.network.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('pulse.network.pair')}</th>
                <th scope="col">{t('pulse.handshakes')}</th>
                <th scope="col">{t('leads.tag.cooperation')}</th>
                <th scope="col">{t('leads.tag.competition')}</th>
              </tr>
            </thead>
            <tbody>
              {pairs.map((edge) => (
                <tr key={`${edge.a}|${edge.b}`} className={`tone-${edgeTone(edge)}`}>
                  <th scope="row">
                    {names.get(edge.a) ?? edge.a} ↔ {names.get(edge.b) ?? edge.b}
                  </th>
                  <td>{fmt.format(edge.count)}</td>
                  <td>{fmt.format(edge.cooperation)}</td>
                  <td>{fmt.format(edge.competition)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </figure>
  );
}
