/**
 * Layout rules for the tab's plain elements (Fluent components style themselves). Colours come from
 * the Fluent theme's CSS variables, so the Teams default, dark and high-contrast themes apply.
 */
export const TAB_CSS = `
.ct-root { min-height: 100vh; box-sizing: border-box; }
.ct-root *, .ct-root *::before, .ct-root *::after { box-sizing: border-box; }
.ct-main { padding: 12px 16px 32px; max-width: 1100px; margin: 0 auto; }
.ct-view { display: flex; flex-direction: column; gap: 12px; }
.ct-title { font-size: 20px; line-height: 28px; font-weight: 600; margin: 4px 0; overflow-wrap: anywhere; }
.ct-subtitle { font-size: 16px; line-height: 22px; font-weight: 600; margin: 12px 0 0; }
.ct-nav { overflow-x: auto; border-bottom: 1px solid var(--colorNeutralStroke2); padding: 0 8px; }
.ct-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 8px; padding: 8px 16px; }
.ct-brand { font-weight: 600; font-size: 16px; }
.ct-filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-end; }
.ct-filters > * { min-width: 140px; flex: 1 1 160px; max-width: 320px; }
.ct-cards { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); }
.ct-cards-wide { grid-template-columns: repeat(auto-fill, minmax(min(100%, 440px), 1fr)); }
.ct-card { border: 1px solid var(--colorNeutralStroke1); border-radius: 6px; padding: 10px 12px; background: var(--colorNeutralBackground1); min-width: 0; }
.ct-card-head { display: flex; justify-content: space-between; align-items: flex-start; gap: 8px; font-weight: 600; overflow-wrap: anywhere; }
.ct-card-head .fui-Badge, .ct-facts .fui-Badge { flex-shrink: 0; white-space: nowrap; }
.ct-card-meta { display: flex; flex-wrap: wrap; gap: 4px 12px; color: var(--colorNeutralForeground2); font-size: 12px; }
.ct-facts { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0 0; }
.ct-facts > div { min-width: 0; }
.ct-facts dt { font-size: 12px; color: var(--colorNeutralForeground2); }
.ct-facts dd { margin: 0; overflow-wrap: anywhere; }
.ct-facts-big dd { font-size: 18px; font-weight: 600; }
.ct-tags { list-style: none; display: flex; flex-wrap: wrap; gap: 4px; padding: 0; margin: 6px 0 0; }
.ct-list { margin: 0; padding-left: 20px; display: flex; flex-direction: column; gap: 6px; }
.ct-timeline { margin: 0; padding-left: 20px; display: flex; flex-direction: column; gap: 4px; font-size: 13px; }
.ct-explain, .ct-note { color: var(--colorNeutralForeground2); font-size: 12px; font-weight: 400; }
.ct-scroll { overflow-x: auto; max-width: 100%; }
.ct-table { border-collapse: collapse; width: 100%; font-size: 13px; }
.ct-table th, .ct-table td, .ct-chart-data th, .ct-chart-data td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--colorNeutralStroke2); vertical-align: top; }
.ct-table thead th { font-weight: 600; white-space: nowrap; }
.ct-table tbody th { font-weight: 400; }
.ct-table tr[data-level='red'] th:first-child { border-left: 4px solid var(--colorPaletteRedBorder2); }
.ct-table tr[data-level='amber'] th:first-child { border-left: 4px solid var(--colorPaletteMarigoldBorder2); }
.ct-charts { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); }
.ct-chart { margin: 0; min-width: 0; }
.ct-chart-title { font-weight: 600; margin-bottom: 4px; }
.ct-chart-data { font-size: 12px; margin-top: 4px; }
.ct-legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 0; margin: 4px 0 0; font-size: 12px; }
.ct-swatch { display: inline-block; width: 16px; height: 0; border-top-width: 3px; vertical-align: middle; margin-right: 4px; }
.ct-pager { display: flex; flex-wrap: wrap; align-items: center; gap: 8px; }
.ct-back { margin: 0; }
.ct-counts { margin: 0; }
.ct-highlight { outline: 2px solid var(--colorBrandStroke1); outline-offset: 2px; border-radius: 4px; }
.ct-form { display: flex; flex-direction: column; gap: 12px; max-width: 520px; }
.ct-row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.ct-export { display: inline-flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 0 0 8px; }
.ct-kv { display: grid; grid-template-columns: minmax(120px, max-content) minmax(0, 1fr); gap: 4px 12px; margin: 0; }
.ct-kv dt { color: var(--colorNeutralForeground2); }
.ct-kv dd { margin: 0; overflow-wrap: anywhere; }
.ct-root a:focus-visible, .ct-root summary:focus-visible, .ct-root [tabindex]:focus-visible, .ct-root li:focus {
  outline: 2px solid var(--colorStrokeFocus2); outline-offset: 2px;
}
.ct-root .fui-Field { min-width: 0; }
.ct-root .fui-Select, .ct-root .fui-Select__select { min-width: 0; max-width: 100%; }
.ct-demo-field { margin-top: 4px; max-width: 420px; }
.ct-demo-select, .ct-demo-select select { min-width: 0; max-width: 100%; }
.ct-root .fui-MessageBar { min-width: 0; }
.ct-root .fui-MessageBarBody { min-width: 0; overflow-wrap: anywhere; }
.ct-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) {
  .ct-main { padding: 8px 8px 24px; }
  .ct-header { padding: 8px; }
  .ct-filters > * { max-width: none; }
  .ct-kv { grid-template-columns: minmax(0, 1fr); gap: 0 0; }
  .ct-kv dd { margin-bottom: 6px; }
}
`;
