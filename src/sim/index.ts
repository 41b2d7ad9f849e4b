// `spotwire/sim`: the local exchange simulator. The subpath is reserved in the exports map now so
// that its import path never changes; the simulator itself arrives with issue 5/9.
export {}
