//go:build cgo

package main

// Link runtime/cgo whenever cgo is on. The static-netgo variant selects the
// pure-Go resolver and user lookup, which leaves no other cgo user, yet it is
// linked externally against static glibc; without runtime/cgo the Go linker
// only warns ("loadinternal: cannot find runtime/cgo") and the binary dies
// at startup.
import _ "runtime/cgo"
