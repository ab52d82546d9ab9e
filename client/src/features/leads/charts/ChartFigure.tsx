import './charts.css';
import { useId, type ReactNode } from 'react';
import { useI18n } from '../../../i18n/i18n';

export interface ChartRow {
  label: string;
  value: string;
}

/**
 * A chart with its title and a table alternative: screen readers get the table, the
 * picture is labelled by the title and a one-line summary.
 */
export function ChartFigure(props: {
  title: string;
  summary: string;
  columns: [string, string];
  rows: ChartRow[];
  children: ReactNode;
}) {
  const { t } = useI18n();
  const titleId = useId();
  return (
    <figure className="chart" aria-labelledby={titleId}>
      <figcaption id={titleId} className="chart-title">
        {props.title}
      </figcaption>
      <p className="chart-summary">{props.summary}</p>
      {props.children}
      <details className="chart-table">
        <summary>{t('charts.showTable')}</summary>
        <table>
          <caption className="visually-hidden">{props.title}</caption>
          <thead>
            <tr>
              <th scope="col">{props.columns[0]}</th>
              <th scope="col">{props.columns[1]}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td>{row.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
