// The browser entry of petrel-mqtt (dist/browser/petrel.min.js), built by scripts/build-browser.mjs with
// connectors-browser.ts in place of connectors-node.ts, so the browser's WebSocket is the only transport.
// The Node-only exports of src/index.ts (durable file store, DNS SRV, TLS and proxy options) would pull
// node:* modules into the bundle: this entry adds the browser's own connector to the neutral API instead.
export * from './public-api.js'
export { type BrowserWebSocketConnectorOptions, browserWebSocketConnector } from './transport/websocket-browser.js'
