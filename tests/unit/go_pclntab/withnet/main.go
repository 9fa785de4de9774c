// A program that links net, os/user and crypto/x509 (through cgo when cgo
// is on), with the kinds of names a function table holds: generic
// functions and methods, closures, method values.
package main

import (
	"crypto/x509"
	"fmt"
	"net"
	"os/user"
)

type List[T any] struct{ items []T }

func (l *List[T]) Push(v T) { l.items = append(l.items, v) }

func Keys[K comparable, V any](m map[K]V) []K {
	var out []K
	for k := range m {
		out = append(out, k)
	}
	return out
}

type greeter struct{ name string }

func (g *greeter) Greet() { fmt.Println("hello,", g.name) }

func main() {
	addrs, err := net.LookupHost("localhost")
	fmt.Println(addrs, err)
	u, err := user.Current()
	fmt.Println(u != nil, err)
	pool, err := x509.SystemCertPool()
	fmt.Println(pool != nil, err)

	var certs List[*x509.Certificate]
	certs.Push(nil)
	var nets List[*net.IPNet]
	nets.Push(nil)
	fmt.Println(len(Keys(map[string]*net.IPNet{"a": nil})), len(certs.items), len(nets.items))

	greet := (&greeter{"gopher"}).Greet
	defer greet()
	defer func() { fmt.Println("closure") }()
}
