//go:build cgo && probe_runtime_cgo

package main

// The working twin of an external link: with runtime/cgo, libc sets up
// thread-local storage and the runtime uses the linker's offset for g.
import _ "runtime/cgo"
