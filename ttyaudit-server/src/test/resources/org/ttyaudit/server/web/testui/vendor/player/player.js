/* a vendored player stand-in */
