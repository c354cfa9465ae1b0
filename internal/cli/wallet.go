package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/spf13/cobra"

	"github.com/reefhq/reef/peer/p2p"
	"github.com/reefhq/reef/wallet"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/txsend"
)

// PasswordEnv is the environment variable read for the keystore password when no
// --password-file is given.
const PasswordEnv = "REEF_WALLET_PASSWORD"

// walletFlags are the flags shared by the wallet and contracts commands.
type walletFlags struct {
	dataDir      string
	chainRPC     string
	passwordFile string
	account      string
	lightKDF     bool
	timeout      time.Duration
	jsonOut      bool

	stdin *bufio.Reader // one reader for every line read from standard input
}

func (f *walletFlags) addDataDir(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.dataDir, "data-dir", p2p.DefaultDataDir(), "data directory (keystore in <data-dir>/keystore, embedded chain in <data-dir>/chain)")
}

func (f *walletFlags) addChain(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.chainRPC, "chain-rpc", "", "EVM JSON-RPC endpoint (default: the embedded chain of --data-dir, started in this process)")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 15*time.Second, "give up on an unreachable --chain-rpc after this long")
}

func (f *walletFlags) addPassword(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.passwordFile, "password-file", "", "read the keystore password from the first line of this file (default: $"+PasswordEnv+", else a prompt)")
}

func (f *walletFlags) addAccount(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.account, "account", "", "account to use: an address or a number from 'reef wallet list' (default: the first)")
}

func (f *walletFlags) addKDF(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&f.lightKDF, "light-kdf", false, "encrypt with light scrypt (fast, weaker; for dev chains and tests)")
}

func (f *walletFlags) keystore() (*wallet.Keystore, error) {
	var opts []wallet.KeystoreOption
	if f.lightKDF {
		opts = append(opts, wallet.WithLightKDF())
	}
	ks, err := wallet.OpenKeystore(filepath.Join(f.dataDir, "keystore"), opts...)
	if err != nil {
		return nil, failure("%v", err)
	}
	return ks, nil
}

// password returns the keystore password: --password-file, else $REEF_WALLET_PASSWORD, else a
// prompt on the terminal (without echo; twice when confirm) or one line of standard input.
func (f *walletFlags) password(cmd *cobra.Command, prompt string, confirm bool) (string, error) {
	if f.passwordFile != "" {
		b, err := os.ReadFile(f.passwordFile)
		if err != nil {
			return "", badInput("--password-file: %v", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		line = strings.TrimRight(line, "\r")
		if line == "" {
			return "", badInput("--password-file %s: the first line is empty", f.passwordFile)
		}
		return line, nil
	}
	if pw, ok := os.LookupEnv(PasswordEnv); ok && pw != "" {
		return pw, nil
	}
	in := cmd.InOrStdin()
	if file, ok := in.(*os.File); ok && term.IsTerminal(file.Fd()) {
		pw, err := promptTTY(cmd, file, prompt)
		if err != nil {
			return "", err
		}
		if confirm {
			again, err := promptTTY(cmd, file, "Repeat the password: ")
			if err != nil {
				return "", err
			}
			if again != pw {
				return "", badInput("the passwords don't match")
			}
		}
		return pw, nil
	}
	if f.stdin == nil {
		f.stdin = bufio.NewReader(in)
	}
	line, err := f.stdin.ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil && !errors.Is(err, io.EOF) {
			return "", failure("reading the password: %v", err)
		}
		return "", badInput("no password: give --password-file, set $%s, or type it on standard input", PasswordEnv)
	}
	return line, nil
}

func promptTTY(cmd *cobra.Command, f *os.File, prompt string) (string, error) {
	fmt.Fprint(cmd.ErrOrStderr(), prompt)
	b, err := term.ReadPassword(f.Fd())
	fmt.Fprintln(cmd.ErrOrStderr())
	if err != nil {
		return "", failure("reading the password: %v", err)
	}
	if len(b) == 0 {
		return "", badInput("empty password")
	}
	return string(b), nil
}

// openChain returns the chain the command works on: --chain-rpc, else the embedded chain of
// --data-dir started in this process.
func (f *walletFlags) openChain(ctx context.Context) (*chain.Chain, error) {
	if f.chainRPC != "" {
		dctx, cancel := context.WithTimeout(ctx, f.timeout)
		defer cancel()
		c, err := chain.Dial(dctx, f.chainRPC, chain.WithDataDir(f.dataDir), chain.WithBackoff(250*time.Millisecond, 2*time.Second))
		if err != nil {
			if strings.Contains(err.Error(), "RPC URL") {
				return nil, badInput("--chain-rpc: %v", err)
			}
			return nil, failure("%v", err)
		}
		return c, nil
	}
	c, err := chain.OpenEmbedded(ctx, f.dataDir)
	if errors.Is(err, chain.ErrChainInUse) {
		return nil, failure("%v", err)
	}
	if err != nil {
		return nil, failure("starting the embedded chain: %v", err)
	}
	return c, nil
}

// unlock finds --account and decrypts it.
func (f *walletFlags) unlock(cmd *cobra.Command, ks *wallet.Keystore) (*wallet.Key, error) {
	acct, err := ks.Find(f.account)
	if err != nil {
		if errors.Is(err, wallet.ErrNoAccounts) {
			return nil, failure("%v", err)
		}
		return nil, badInput("%v", err)
	}
	pw, err := f.password(cmd, fmt.Sprintf("Password for %s: ", acct.Address.Hex()), false)
	if err != nil {
		return nil, err
	}
	key, err := ks.Unlock(acct, pw)
	if errors.Is(err, wallet.ErrWrongPassword) {
		return nil, badInput("wrong password for %s", acct.Address.Hex())
	}
	if err != nil {
		return nil, failure("%v", err)
	}
	return key, nil
}

func newWalletCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "wallet",
		Short: "Manage keys and balances: new, list, balance, send, import",
		Long: `Manage the node's keys (an encrypted keystore in <data-dir>/keystore, the format geth
reads) and its balances on the chain.

Amounts are decimal numbers in whole units: "1.5" is 1.5 ETH (the chain's native coin,
18 decimals) or, with --token usd, 1.5 tUSD (TestUSD, 6 decimals).

Passwords come from --password-file (its first line), else $` + PasswordEnv + `, else a
prompt (no echo on a terminal; otherwise one line of standard input).

Chain: --chain-rpc URL, or by default the embedded dev chain of --data-dir, started in
this process (it fails if a running node holds it: start that node with --chain-http
and pass its URL as --chain-rpc).

Exit codes: 0 success, 1 failure (chain unreachable, transaction reverted, no funds),
2 bad input (bad address or amount, wrong password, unknown account).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newWalletNewCmd(), newWalletListCmd(), newWalletBalanceCmd(), newWalletSendCmd(), newWalletImportCmd())
	return cmd
}

func newWalletNewCmd() *cobra.Command {
	var f walletFlags
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Create a new account in the keystore",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ks, err := f.keystore()
			if err != nil {
				return err
			}
			pw, err := f.password(cmd, "Password for the new account: ", true)
			if err != nil {
				return err
			}
			a, err := ks.New(pw)
			if err != nil {
				return failure("%v", err)
			}
			if f.jsonOut {
				return printJSON(cmd, a)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\n", a.Address.Hex())
			fmt.Fprintf(cmd.ErrOrStderr(), "key file: %s\n", a.Path)
			return nil
		},
	}
	f.addDataDir(cmd)
	f.addPassword(cmd)
	f.addKDF(cmd)
	cmd.Flags().BoolVar(&f.jsonOut, "json", false, "print {address, path} as JSON")
	return cmd
}

func newWalletListCmd() *cobra.Command {
	var f walletFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the keystore's accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ks, err := f.keystore()
			if err != nil {
				return err
			}
			accts, err := ks.Accounts()
			if err != nil {
				return failure("%v", err)
			}
			if f.jsonOut {
				if accts == nil {
					accts = []wallet.Account{}
				}
				return printJSON(cmd, accts)
			}
			if len(accts) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no accounts (create one with: reef wallet new)")
				return nil
			}
			for i, a := range accts {
				fmt.Fprintf(cmd.OutOrStdout(), "%d  %s  %s\n", i+1, a.Address.Hex(), a.Path)
			}
			return nil
		},
	}
	f.addDataDir(cmd)
	cmd.Flags().BoolVar(&f.jsonOut, "json", false, "print a JSON array of {address, path}")
	return cmd
}

// balanceLine is one account in `reef wallet balance --json`.
type balanceLine struct {
	Address      common.Address `json:"address"`
	Balance      string         `json:"balance"`       // wei
	BalanceETH   string         `json:"balance_eth"`   // decimal
	TokenBalance string         `json:"token_balance"` // TestUSD base units
	TokenUSD     string         `json:"token_balance_usd"`
}

func newWalletBalanceCmd() *cobra.Command {
	var f walletFlags
	cmd := &cobra.Command{
		Use:   "balance [ADDRESS...]",
		Short: "Show native and TestUSD balances (of the keystore's accounts by default)",
		Example: `  reef wallet balance
  reef wallet balance --json --chain-rpc http://127.0.0.1:8545 0x8f...`,
		RunE: func(cmd *cobra.Command, args []string) error {
			var addrs []common.Address
			for _, a := range args {
				if !common.IsHexAddress(a) {
					return badInput("%q is not an address (0x followed by 40 hex digits)", a)
				}
				addrs = append(addrs, common.HexToAddress(a))
			}
			if len(addrs) == 0 {
				ks, err := f.keystore()
				if err != nil {
					return err
				}
				if f.account != "" {
					a, err := ks.Find(f.account)
					if err != nil {
						return badInput("%v", err)
					}
					addrs = append(addrs, a.Address)
				} else {
					accts, err := ks.Accounts()
					if err != nil {
						return failure("%v", err)
					}
					if len(accts) == 0 {
						return failure("%v", wallet.ErrNoAccounts)
					}
					for _, a := range accts {
						addrs = append(addrs, a.Address)
					}
				}
			}
			c, err := f.openChain(cmd.Context())
			if err != nil {
				return err
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout)
			defer cancel()
			token := c.Addresses().Token
			tok := contracts.NewTestUSD()
			var lines []balanceLine
			for _, a := range addrs {
				bal, err := c.Client().BalanceAt(ctx, a, nil)
				if err != nil {
					return failure("reading the balance of %s: %v", a.Hex(), err)
				}
				tb := new(big.Int)
				if token != (common.Address{}) {
					out, err := c.Client().CallContract(ctx, ethereum.CallMsg{To: &token, Data: tok.PackBalanceOf(a)}, nil)
					if err != nil {
						return failure("reading the token balance of %s: %v", a.Hex(), err)
					}
					if tb, err = tok.UnpackBalanceOf(out); err != nil {
						return failure("reading the token balance of %s: %v", a.Hex(), err)
					}
				}
				lines = append(lines, balanceLine{Address: a, Balance: bal.String(), BalanceETH: wallet.FormatNative(bal),
					TokenBalance: tb.String(), TokenUSD: wallet.FormatToken(tb)})
			}
			if f.jsonOut {
				st := c.State()
				return printJSON(cmd, map[string]any{
					"chain":    map[string]any{"kind": st.Kind, "url": st.URL, "chain_id": st.ChainID, "head": st.Head},
					"token":    token,
					"accounts": lines,
				})
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			for _, l := range lines {
				fmt.Fprintf(tw, "%s\t%s %s\t%s %s\n", l.Address.Hex(), l.BalanceETH, wallet.NativeSymbol, l.TokenUSD, wallet.TokenSymbol)
			}
			tw.Flush()
			fmt.Fprintf(cmd.ErrOrStderr(), "%s, block %d\n", c.Describe(), c.State().Head)
			return nil
		},
	}
	f.addDataDir(cmd)
	f.addChain(cmd)
	f.addAccount(cmd)
	cmd.Flags().BoolVar(&f.jsonOut, "json", false, "print JSON: balances in base units (wei, token units) and as decimals")
	return cmd
}

func newWalletSendCmd() *cobra.Command {
	var f walletFlags
	var token string
	cmd := &cobra.Command{
		Use:   "send TO AMOUNT",
		Short: "Send native coins or TestUSD (--token usd) from a keystore account",
		Example: `  reef wallet send 0x8f... 1.5
  reef wallet send --token usd --account 2 0x8f... 100`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !common.IsHexAddress(args[0]) {
				return badInput("%q is not an address (0x followed by 40 hex digits)", args[0])
			}
			to := common.HexToAddress(args[0])
			isToken := false
			switch strings.ToLower(token) {
			case "", "eth", "native":
			case "usd", "tusd", "testusd":
				isToken = true
			default:
				return badInput("--token %q: want usd (TestUSD) or nothing for the native coin", token)
			}
			decimals, symbol := wallet.NativeDecimals, wallet.NativeSymbol
			if isToken {
				decimals, symbol = wallet.TokenDecimals, wallet.TokenSymbol
			}
			amount, err := wallet.ParseAmount(args[1], decimals)
			if err != nil {
				return badInput("%v", err)
			}
			ks, err := f.keystore()
			if err != nil {
				return err
			}
			key, err := f.unlock(cmd, ks)
			if err != nil {
				return err
			}
			c, err := f.openChain(cmd.Context())
			if err != nil {
				return err
			}
			defer c.Close()
			s, err := txsend.New(c.Client(), key, c.ChainID(), txsend.WithDecoder(contracts.NewDecoder()))
			if err != nil {
				return failure("%v", err)
			}
			call := txsend.Call{Label: "send", To: &to, Value: amount}
			if isToken {
				tokAddr := c.Addresses().Token
				if tokAddr == (common.Address{}) {
					return failure("%v", chain.ErrNoContracts)
				}
				call = txsend.Call{Label: "token transfer", To: &tokAddr, Data: contracts.NewTestUSD().PackTransfer(to, amount)}
			}
			ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout+time.Minute)
			defer cancel()
			r, err := s.Transact(ctx, call)
			if err != nil {
				return failure("%v", err)
			}
			if f.jsonOut {
				return printJSON(cmd, map[string]any{"tx": r.TxHash, "block": r.BlockNumber.Uint64(), "gas_used": r.GasUsed,
					"from": key.Address(), "to": to, "amount": amount.String(), "token": isToken})
			}
			fmt.Fprintf(cmd.OutOrStdout(), "sent %s %s from %s to %s\ntx %s (block %d, gas %d)\n",
				wallet.FormatAmount(amount, decimals), symbol, key.Address().Hex(), to.Hex(), r.TxHash.Hex(), r.BlockNumber.Uint64(), r.GasUsed)
			return nil
		},
	}
	f.addDataDir(cmd)
	f.addChain(cmd)
	f.addPassword(cmd)
	f.addAccount(cmd)
	cmd.Flags().StringVar(&token, "token", "", "send TestUSD instead of the native coin: usd")
	cmd.Flags().BoolVar(&f.jsonOut, "json", false, "print {tx, block, gas_used, ...} as JSON")
	return cmd
}

func newWalletImportCmd() *cobra.Command {
	var f walletFlags
	devKey := -1
	cmd := &cobra.Command{
		Use:   "import [FILE|-]",
		Short: "Import a hex private key or an encrypted key file (keystore JSON) into the keystore",
		Long: `Import a key into the keystore. FILE ("-" for standard input) holds either a hex private
key (64 hex digits, optionally 0x-prefixed) or an encrypted key file (Web3 Secret
Storage JSON, as geth writes); an encrypted file is decrypted with the password and
stored encrypted with the same password. --dev-key N imports the embedded chain's
deterministic dev key N instead (public knowledge: for dev chains only).

The key is never printed or logged. When it comes from standard input, give the password
with --password-file or $` + PasswordEnv + `.`,
		Example: `  reef wallet import --password-file pw.txt key.hex
  reef wallet import --light-kdf --dev-key 0`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ks, err := f.keystore()
			if err != nil {
				return err
			}
			var (
				key     *wallet.Key
				keyJSON []byte
			)
			switch {
			case devKey >= 0 && len(args) > 0:
				return badInput("give a FILE or --dev-key, not both")
			case devKey >= 0:
				key = chain.DevKey(devKey)
			case len(args) == 0:
				return badInput("give a FILE (or - for standard input) or --dev-key N")
			default:
				var b []byte
				if args[0] == "-" {
					if f.passwordFile == "" && os.Getenv(PasswordEnv) == "" {
						return badInput("the key comes from standard input: give the password with --password-file or $%s", PasswordEnv)
					}
					b, err = io.ReadAll(cmd.InOrStdin())
				} else {
					b, err = os.ReadFile(args[0])
				}
				if err != nil {
					return badInput("reading the key: %v", err)
				}
				if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") {
					keyJSON = []byte(t)
				} else if key, err = wallet.ParseHexKey(t); err != nil {
					return badInput("%v", err)
				}
				clear(b)
			}
			pw, err := f.password(cmd, "Password: ", keyJSON == nil)
			if err != nil {
				return err
			}
			var a wallet.Account
			if keyJSON != nil {
				a, err = ks.ImportJSON(keyJSON, pw)
			} else {
				a, err = ks.Import(key, pw)
			}
			switch {
			case errors.Is(err, wallet.ErrWrongPassword):
				return badInput("wrong password for the key file")
			case errors.Is(err, wallet.ErrAccountExists):
				return badInput("%v", err)
			case err != nil:
				return failure("%v", err)
			}
			if f.jsonOut {
				return printJSON(cmd, a)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s\n", a.Address.Hex())
			fmt.Fprintf(cmd.ErrOrStderr(), "key file: %s\n", a.Path)
			return nil
		},
	}
	f.addDataDir(cmd)
	f.addPassword(cmd)
	f.addKDF(cmd)
	cmd.Flags().IntVar(&devKey, "dev-key", -1, "import the embedded chain's dev key N (0 holds the TestUSD supply)")
	cmd.Flags().BoolVar(&f.jsonOut, "json", false, "print {address, path} as JSON")
	return cmd
}

func printJSON(cmd *cobra.Command, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return failure("%v", err)
	}
	fmt.Fprintln(cmd.OutOrStdout(), string(b))
	return nil
}
