// Command ginserver is a small gin + viper HTTP server used as a realistic
// Go test subject for canrun. Its --selftest mode exercises the parts of a
// Go program that depend on the target system (resolver, user database,
// CA certificates, time zone data) without opening a listening socket.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/spf13/viper"
)

func main() {
	configPath := flag.String("config", "", "path to the YAML config (default: config.yaml next to the binary, then ./config.yaml)")
	selftest := flag.Bool("selftest", false, "check config, DNS, user, TLS roots and tzdata, then exit without listening")
	listen := flag.String("listen", "", "address to listen on (default: the config's listen)")
	var t tlsFlags
	flag.StringVar(&t.cert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain); needs --tls-key")
	flag.StringVar(&t.key, "tls-key", "", "the PEM private key of --tls-cert")
	flag.BoolVar(&t.only13, "tls13-only", false, "with --tls-cert: accept TLS 1.3 only")
	flag.Parse()
	if (t.cert == "") != (t.key == "") || (t.only13 && t.cert == "") {
		log.Fatal("--tls-cert and --tls-key go together; --tls13-only needs them")
	}

	if *selftest {
		os.Exit(runSelftest(*configPath))
	}

	v, err := loadConfig(*configPath)
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	if *listen != "" {
		v.Set("listen", *listen)
	}
	if err := serve(v, t); err != nil {
		log.Fatal(err)
	}
}

// loadConfig reads the YAML config. With no explicit path it looks next to
// the executable first, so a binary copied around with its config.yaml works
// from any working directory.
func loadConfig(path string) (*viper.Viper, error) {
	v := viper.New()
	v.SetDefault("name", "ginserver")
	v.SetDefault("listen", "127.0.0.1:8080")
	v.SetDefault("mode", gin.ReleaseMode)
	// Always YAML, whatever the file is called.
	v.SetConfigType("yaml")
	if path != "" {
		v.SetConfigFile(path)
	} else {
		v.SetConfigName("config")
		if exe, err := os.Executable(); err == nil {
			v.AddConfigPath(filepath.Dir(exe))
		}
		v.AddConfigPath(".")
	}
	if err := v.ReadInConfig(); err != nil {
		return nil, err
	}
	return v, nil
}

// tlsFlags selects HTTPS: gin's RunTLS (Go's default TLS settings), or an
// http.Server limited to TLS 1.3.
type tlsFlags struct {
	cert, key string
	only13    bool
}

func serve(v *viper.Viper, t tlsFlags) error {
	gin.SetMode(v.GetString("mode"))
	r := gin.New()
	r.Use(gin.Recovery())
	r.GET("/healthz", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"status": "ok", "name": v.GetString("name")})
	})

	srv := &http.Server{Addr: v.GetString("listen"), Handler: r, ReadHeaderTimeout: 5 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	errc := make(chan error, 1)
	switch {
	case t.only13:
		srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS13}
		go func() { errc <- srv.ListenAndServeTLS(t.cert, t.key) }()
	case t.cert != "":
		// RunTLS blocks and cannot be shut down; the process ends on a signal.
		go func() { errc <- r.RunTLS(srv.Addr, t.cert, t.key) }()
	default:
		go func() { errc <- srv.ListenAndServe() }()
	}
	log.Printf("%s listening on %s", v.GetString("name"), srv.Addr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// runSelftest prints one "selftest <step>: ok <detail>" or
// "selftest <step>: FAIL <error>" line per step, so that scripts can grep
// for each step, and returns the process exit status.
func runSelftest(configPath string) int {
	steps := []struct {
		name string
		run  func() (string, error)
	}{
		{"config", func() (string, error) {
			v, err := loadConfig(configPath)
			if err != nil {
				return "", err
			}
			return v.ConfigFileUsed(), nil
		}},
		{"dns", func() (string, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			addrs, err := net.DefaultResolver.LookupHost(ctx, "localhost")
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("localhost=%v", addrs), nil
		}},
		{"user", func() (string, error) {
			u, err := user.Current()
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("%s uid=%s home=%s", u.Username, u.Uid, u.HomeDir), nil
		}},
		{"tls-roots", func() (string, error) {
			pool, err := x509.SystemCertPool()
			if err != nil {
				return "", err
			}
			// On Linux a missing CA bundle yields an empty pool and no error;
			// TLS clients would then fail, so count that as a failure.
			n := len(pool.Subjects()) //nolint:staticcheck // exact on Linux, where roots are files
			if n == 0 {
				return "", errors.New("no system CA certificates found")
			}
			return fmt.Sprintf("%d certs", n), nil
		}},
		{"tzdata", func() (string, error) {
			loc, err := time.LoadLocation("Europe/Berlin")
			if err != nil {
				return "", err
			}
			return time.Date(2024, 7, 1, 12, 0, 0, 0, loc).Format("MST -0700"), nil
		}},
	}

	status := 0
	for _, s := range steps {
		detail, err := s.run()
		if err != nil {
			fmt.Printf("selftest %s: FAIL %v\n", s.name, err)
			status = 1
			continue
		}
		fmt.Printf("selftest %s: ok %s\n", s.name, detail)
	}
	return status
}
