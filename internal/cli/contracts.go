package cli

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/spf13/cobra"

	"github.com/reefhq/reef/wallet"
	"github.com/reefhq/reef/wallet/chain"
	"github.com/reefhq/reef/wallet/contracts"
	"github.com/reefhq/reef/wallet/txsend"
)

type deployFlags struct {
	walletFlags
	devKey      int
	epoch       time.Duration
	minProofs   uint32
	maxProofs   uint32
	targetBits  int
	collateral  string
	reward      string
	slashingBps uint16
	failedRatio uint32
	minDuration uint32
	rewardPool  string
	tokenSupply string
}

func newContractsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "contracts",
		Short: "Deploy Reef's contracts (Capacity, Market, TestUSD) to an EVM chain",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newContractsDeployCmd())
	return cmd
}

func newContractsDeployCmd() *cobra.Command {
	f := deployFlags{devKey: -1}
	d := contracts.DevParams()
	cmd := &cobra.Command{
		Use:   "deploy --chain-rpc URL",
		Short: "Deploy TestUSD, Capacity and Market and save their addresses",
		Long: `Deploy TestUSD, Capacity and Market to the chain at --chain-rpc from a keystore account
(--account, with its password) or a dev key (--dev-key N, for dev chains), link them and
fund the reward pool. The addresses are printed and saved in
<data-dir>/chain/deployments.json under the chain's id and genesis hash, where nodes started
with --chain-rpc on the same data directory find them.

The embedded chain deploys its own contracts on first start; this command is for other
chains. Amounts are decimal ETH (native coin) or tUSD.`,
		Example: `  reef contracts deploy --chain-rpc http://127.0.0.1:8545 --dev-key 0
  reef contracts deploy --chain-rpc https://rpc.example.org --account 0x8f... --epoch 1h --target-bits 28`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runDeploy(cmd, &f) },
	}
	f.addDataDir(cmd)
	f.addChain(cmd)
	f.addPassword(cmd)
	f.addAccount(cmd)
	fl := cmd.Flags()
	fl.Lookup("chain-rpc").Usage = "EVM JSON-RPC endpoint to deploy to (required)"
	fl.IntVar(&f.devKey, "dev-key", -1, "deploy from the deterministic dev key N instead of a keystore account")
	fl.DurationVar(&f.epoch, "epoch", d.EpochDuration, "epoch length (whole seconds)")
	fl.Uint32Var(&f.minProofs, "min-proofs", d.MinProofsPerEpoch, "proofs per unit per epoch that count as a success")
	fl.Uint32Var(&f.maxProofs, "max-proofs", d.MaxProofsPerEpoch, "most proofs per unit per epoch")
	fl.IntVar(&f.targetBits, "target-bits", contracts.DevTargetBits, "difficulty: leading zero bits of a valid proof hash")
	fl.StringVar(&f.collateral, "collateral", "1", "collateral per unit, ETH")
	fl.StringVar(&f.reward, "reward", "0.01", "reward per unit-epoch reaching the minimum, ETH")
	fl.Uint16Var(&f.slashingBps, "slashing-bps", d.SlashingRateBps, "collateral slashed per missed unit-epoch, basis points of the collateral per unit")
	fl.Uint32Var(&f.failedRatio, "max-failed-ratio", d.MaxFailedRatio, "a commitment fails after this many missed epochs per unit")
	fl.Uint32Var(&f.minDuration, "min-duration", d.MinDuration, "shortest commitment, epochs")
	fl.StringVar(&f.rewardPool, "reward-pool", "0", "ETH sent to the reward pool")
	fl.StringVar(&f.tokenSupply, "token-supply", "1000000000", "TestUSD minted to the deployer, tUSD")
	fl.BoolVar(&f.jsonOut, "json", false, "print the deployment as JSON")
	return cmd
}

func runDeploy(cmd *cobra.Command, f *deployFlags) error {
	if f.chainRPC == "" {
		return badInput("--chain-rpc is required (the embedded chain deploys its contracts itself)")
	}
	p := contracts.Params{
		EpochDuration: f.epoch, MinProofsPerEpoch: f.minProofs, MaxProofsPerEpoch: f.maxProofs,
		Target: contracts.TargetForBits(f.targetBits), SlashingRateBps: f.slashingBps,
		MaxFailedRatio: f.failedRatio, MinDuration: f.minDuration,
	}
	var err error
	amounts := []struct {
		flag, val string
		dec       int
		dst       **big.Int
	}{
		{"collateral", f.collateral, wallet.NativeDecimals, &p.CollateralPerUnit},
		{"reward", f.reward, wallet.NativeDecimals, &p.RewardPerUnitEpoch},
		{"reward-pool", f.rewardPool, wallet.NativeDecimals, &p.RewardPool},
		{"token-supply", f.tokenSupply, wallet.TokenDecimals, &p.TokenSupply},
	}
	for _, a := range amounts {
		if *a.dst, err = wallet.ParseAmount(a.val, a.dec); err != nil {
			return badInput("--%s: %v", a.flag, err)
		}
	}
	if f.targetBits < 0 || f.targetBits > 255 {
		return badInput("--target-bits %d: want 0 to 255", f.targetBits)
	}
	if err := p.Validate(); err != nil {
		return badInput("%v", err)
	}
	var key *wallet.Key
	if f.devKey >= 0 {
		key = chain.DevKey(f.devKey)
	} else {
		ks, err := f.keystore()
		if err != nil {
			return err
		}
		if key, err = f.unlock(cmd, ks); err != nil {
			return err
		}
	}
	c, err := f.openChain(cmd.Context())
	if err != nil {
		return err
	}
	defer c.Close()
	s, err := txsend.New(c.Client(), key, c.ChainID(), txsend.WithDecoder(contracts.NewDecoder()), txsend.WithPollInterval(250*time.Millisecond))
	if err != nil {
		return failure("%v", err)
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), f.timeout+5*time.Minute)
	defer cancel()
	fmt.Fprintf(cmd.ErrOrStderr(), "deploying to %s from %s ...\n", c.Describe(), key.Address().Hex())
	dep, err := contracts.Deploy(ctx, s, p)
	if err != nil {
		return failure("%v", err)
	}
	genesis, err := chain.GenesisHash(ctx, c.Client())
	if err != nil {
		return failure("reading the genesis: %v", err)
	}
	if err := chain.SaveDeployment(f.dataDir, genesis, dep); err != nil {
		return failure("saving the addresses: %v", err)
	}
	if f.jsonOut {
		return printJSON(cmd, dep)
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "capacity %s\nmarket   %s\ntoken    %s\n", dep.Capacity.Hex(), dep.Market.Hex(), dep.Token.Hex())
	fmt.Fprintf(cmd.ErrOrStderr(), "chain %d, block %d, gas %d; saved in %s\n", dep.ChainID, dep.Block, dep.GasUsed, chain.DeploymentsPath(f.dataDir))
	return nil
}
