// The browser entry of petrel-mqtt (dist/browser/petrel.min.js): the same API as the package entry, built by
// scripts/build-browser.mjs with connectors-browser.ts in place of connectors-node.ts, so the browser's
// WebSocket is the only transport and no Node module is reached.
export * from './index.js'
export { type BrowserWebSocketConnectorOptions, browserWebSocketConnector } from './transport/websocket-browser.js'
export type { WebSocketOptions } from './transport/websocket-options.js'
