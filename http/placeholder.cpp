// The HTTP service lands with issue 4.
