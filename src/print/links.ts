// Placeholder until the link-layer printers land: registers nothing.
export {};
