// `spotwire/testing`: the connector conformance kit. The subpath is reserved in the exports map now
// so that its import path never changes; the kit itself arrives with issue 4/9.
export {}
