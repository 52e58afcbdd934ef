/**
 * Registers the link-layer decoders for links other than plain Ethernet:
 * Linux cooked (SLL, SLL2), ARCNET, IEEE 802.11 (plain and radiotap) and IP
 * over InfiniBand. Import once, for its side effects.
 */
import './sll.js';
import './arcnet.js';
import './ieee802_11.js';
import './ipoib.js';
