// Lint exists for one thing: text is never markup (docs/DESIGN principle 9). The rules below refuse
// every way of handing a string to the browser's HTML parser, so the unsafe path cannot be written
// by accident; map code goes through web/src/map/safe-content.ts, which takes text or DOM nodes only.
// Deliberately small: the TypeScript parser and these restrictions, no style rules.
import tsParser from "@typescript-eslint/parser";
import reactHooks from "eslint-plugin-react-hooks";

const TEXT_NOT_MARKUP = "Text is never markup: set textContent or build DOM nodes (React children are text already).";
const USE_SAFE_MAP =
  "Leaflet parses a string here as HTML: use textTooltip/textPopup/labelIcon from web/src/map/safe-content.ts.";

/** Sinks refused everywhere, the safe map helper included. */
const HTML_SINKS = [
  { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML|srcdoc)$/]", message: TEXT_NOT_MARKUP },
  {
    selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|createContextualFragment|setHTMLUnsafe)$/]",
    message: TEXT_NOT_MARKUP,
  },
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: TEXT_NOT_MARKUP },
];

/** Leaflet calls that take HTML strings: only the helper may make them, and it passes DOM nodes. */
const LEAFLET_SINKS = [
  {
    selector:
      "CallExpression[callee.property.name=/^(bindTooltip|bindPopup|setTooltipContent|setPopupContent|setContent)$/]",
    message: USE_SAFE_MAP,
  },
  { selector: "CallExpression[callee.property.name=/^(divIcon|tooltip|popup)$/]", message: USE_SAFE_MAP },
  { selector: "NewExpression[callee.property.name=/^(DivIcon|Tooltip|Popup)$/]", message: USE_SAFE_MAP },
];

export default [
  { ignores: ["web/dist/**", "dist/**", "node_modules/**", "data/**"] },
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: {
      parser: tsParser,
      parserOptions: { ecmaVersion: "latest", sourceType: "module", ecmaFeatures: { jsx: true } },
    },
    // Loaded (not enabled) so the code's `eslint-disable` comments for React's hook rules name rules
    // that exist; turning those rules on is a separate decision.
    plugins: { "react-hooks": reactHooks },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: {
      "no-restricted-syntax": ["error", ...HTML_SINKS, ...LEAFLET_SINKS],
      "no-restricted-properties": [
        "error",
        { object: "document", property: "write", message: TEXT_NOT_MARKUP },
        { object: "document", property: "writeln", message: TEXT_NOT_MARKUP },
      ],
    },
  },
  {
    files: ["web/src/map/safe-content.ts"],
    rules: { "no-restricted-syntax": ["error", ...HTML_SINKS] },
  },
];
