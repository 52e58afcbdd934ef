// Placeholder until the link-layer decoders land: registers nothing.
export {};
