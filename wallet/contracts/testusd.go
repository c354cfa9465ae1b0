// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package contracts

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// TestUSDMetaData contains all meta data concerning the TestUSD contract.
var TestUSDMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"initialSupply\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"allowance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"ERC20InsufficientAllowance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"sender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"balance\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"needed\",\"type\":\"uint256\"}],\"name\":\"ERC20InsufficientBalance\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"receiver\",\"type\":\"address\"}],\"name\":\"ERC20InvalidReceiver\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"asked\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"limit\",\"type\":\"uint256\"}],\"name\":\"FaucetLimit\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"OnlyOwner\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"FAUCET_LIMIT\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"faucet\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "TestUSD",
	Bin: "0x608060405234801561001057600080fd5b506040516108e13803806108e183398101604081905261002f91610113565b600080546001600160a01b0319163390811790915561004e9082610054565b50610153565b6001600160a01b03821661008a5760405163ec442f0560e01b81526001600160a01b038316600482015260240160405180910390fd5b806001600082825461009c919061012c565b90915550506001600160a01b038216600090815260026020526040812080548392906100c990849061012c565b90915550506040518181526001600160a01b038316906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b60006020828403121561012557600080fd5b5051919050565b8082018082111561014d57634e487b7160e01b600052601160045260246000fd5b92915050565b61077f806101626000396000f3fe608060405234801561001057600080fd5b50600436106100cf5760003560e01c8063579158971161008c57806395d89b411161006657806395d89b41146101eb578063a9059cbb1461020e578063c536a73714610221578063dd62ed3e1461022d57600080fd5b8063579158971461018d57806370a08231146101a05780638da5cb5b146101c057600080fd5b806306fdde03146100d4578063095ea7b31461011157806318160ddd1461013457806323b872dd1461014b578063313ce5671461015e57806340c10f1914610178575b600080fd5b6100fb6040518060400160405280600881526020016715195cdd081554d160c21b81525081565b60405161010891906105ce565b60405180910390f35b61012461011f366004610638565b610258565b6040519015158152602001610108565b61013d60015481565b604051908152602001610108565b610124610159366004610662565b6102c5565b610166600681565b60405160ff9091168152602001610108565b61018b610186366004610638565b61036d565b005b61018b61019b36600461069f565b6103a6565b61013d6101ae3660046106b8565b60026020526000908152604090205481565b6000546101d3906001600160a01b031681565b6040516001600160a01b039091168152602001610108565b6100fb604051806040016040528060048152602001631d1554d160e21b81525081565b61012461021c366004610638565b6103e7565b61013d6402540be40081565b61013d61023b3660046106da565b600360209081526000928352604080842090915290825290205481565b3360008181526003602090815260408083206001600160a01b038716808552925280832085905551919290917f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925906102b39086815260200190565b60405180910390a35060015b92915050565b6001600160a01b03831660009081526003602090815260408083203384529091528120546000198114610357578281101561032857604051637dc7a0d960e11b815233600482015260248101829052604481018490526064015b60405180910390fd5b6103328382610723565b6001600160a01b03861660009081526003602090815260408083203384529091529020555b6103628585856103fd565b506001949350505050565b6000546001600160a01b0316331461039857604051635fc483c560e01b815260040160405180910390fd5b6103a28282610513565b5050565b6402540be4008111156103da57604051636c76ce1360e11b8152600481018290526402540be400602482015260440161031f565b6103e43382610513565b50565b60006103f43384846103fd565b50600192915050565b6001600160a01b03821661042f5760405163ec442f0560e01b81526001600160a01b038316600482015260240161031f565b6001600160a01b038316600090815260026020526040902054818110156104825760405163391434e360e21b81526001600160a01b0385166004820152602481018290526044810183905260640161031f565b6001600160a01b038085166000908152600260205260408082208585039055918516815290812080548492906104b9908490610736565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef8460405161050591815260200190565b60405180910390a350505050565b6001600160a01b0382166105455760405163ec442f0560e01b81526001600160a01b038316600482015260240161031f565b80600160008282546105579190610736565b90915550506001600160a01b03821660009081526002602052604081208054839290610584908490610736565b90915550506040518181526001600160a01b038316906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b602081526000825180602084015260005b818110156105fc57602081860181015160408684010152016105df565b506000604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b038116811461063357600080fd5b919050565b6000806040838503121561064b57600080fd5b6106548361061c565b946020939093013593505050565b60008060006060848603121561067757600080fd5b6106808461061c565b925061068e6020850161061c565b929592945050506040919091013590565b6000602082840312156106b157600080fd5b5035919050565b6000602082840312156106ca57600080fd5b6106d38261061c565b9392505050565b600080604083850312156106ed57600080fd5b6106f68361061c565b91506107046020840161061c565b90509250929050565b634e487b7160e01b600052601160045260246000fd5b818103818111156102bf576102bf61070d565b808201808211156102bf576102bf61070d56fea26469706673582212202f4ff84d14e1bc4167c156dd6ac0b58c61961d0656593a35956a27fd44e3307b64736f6c63430008250033",
}

// TestUSD is an auto generated Go binding around an Ethereum contract.
type TestUSD struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *TestUSD) GetABI() abi.ABI {
	return c.abi
}

// NewTestUSD creates a new instance of TestUSD.
func NewTestUSD() *TestUSD {
	parsed, err := TestUSDMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &TestUSD{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *TestUSD) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(uint256 initialSupply) returns()
func (testUSD *TestUSD) PackConstructor(initialSupply *big.Int) []byte {
	enc, err := testUSD.abi.Pack("", initialSupply)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackFAUCETLIMIT is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc536a737.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function FAUCET_LIMIT() view returns(uint256)
func (testUSD *TestUSD) PackFAUCETLIMIT() []byte {
	enc, err := testUSD.abi.Pack("FAUCET_LIMIT")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFAUCETLIMIT is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xc536a737.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function FAUCET_LIMIT() view returns(uint256)
func (testUSD *TestUSD) TryPackFAUCETLIMIT() ([]byte, error) {
	return testUSD.abi.Pack("FAUCET_LIMIT")
}

// UnpackFAUCETLIMIT is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xc536a737.
//
// Solidity: function FAUCET_LIMIT() view returns(uint256)
func (testUSD *TestUSD) UnpackFAUCETLIMIT(data []byte) (*big.Int, error) {
	out, err := testUSD.abi.Unpack("FAUCET_LIMIT", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testUSD *TestUSD) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := testUSD.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testUSD *TestUSD) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return testUSD.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (testUSD *TestUSD) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := testUSD.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (testUSD *TestUSD) PackApprove(spender common.Address, value *big.Int) []byte {
	enc, err := testUSD.abi.Pack("approve", spender, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (testUSD *TestUSD) TryPackApprove(spender common.Address, value *big.Int) ([]byte, error) {
	return testUSD.abi.Pack("approve", spender, value)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 value) returns(bool)
func (testUSD *TestUSD) UnpackApprove(data []byte) (bool, error) {
	out, err := testUSD.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testUSD *TestUSD) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := testUSD.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testUSD *TestUSD) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return testUSD.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (testUSD *TestUSD) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := testUSD.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (testUSD *TestUSD) PackDecimals() []byte {
	enc, err := testUSD.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (testUSD *TestUSD) TryPackDecimals() ([]byte, error) {
	return testUSD.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (testUSD *TestUSD) UnpackDecimals(data []byte) (uint8, error) {
	out, err := testUSD.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackFaucet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x57915897.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function faucet(uint256 value) returns()
func (testUSD *TestUSD) PackFaucet(value *big.Int) []byte {
	enc, err := testUSD.abi.Pack("faucet", value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFaucet is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x57915897.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function faucet(uint256 value) returns()
func (testUSD *TestUSD) TryPackFaucet(value *big.Int) ([]byte, error) {
	return testUSD.abi.Pack("faucet", value)
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 value) returns()
func (testUSD *TestUSD) PackMint(to common.Address, value *big.Int) []byte {
	enc, err := testUSD.abi.Pack("mint", to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 value) returns()
func (testUSD *TestUSD) TryPackMint(to common.Address, value *big.Int) ([]byte, error) {
	return testUSD.abi.Pack("mint", to, value)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (testUSD *TestUSD) PackName() []byte {
	enc, err := testUSD.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (testUSD *TestUSD) TryPackName() ([]byte, error) {
	return testUSD.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (testUSD *TestUSD) UnpackName(data []byte) (string, error) {
	out, err := testUSD.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (testUSD *TestUSD) PackOwner() []byte {
	enc, err := testUSD.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (testUSD *TestUSD) TryPackOwner() ([]byte, error) {
	return testUSD.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (testUSD *TestUSD) UnpackOwner(data []byte) (common.Address, error) {
	out, err := testUSD.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (testUSD *TestUSD) PackSymbol() []byte {
	enc, err := testUSD.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (testUSD *TestUSD) TryPackSymbol() ([]byte, error) {
	return testUSD.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (testUSD *TestUSD) UnpackSymbol(data []byte) (string, error) {
	out, err := testUSD.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (testUSD *TestUSD) PackTotalSupply() []byte {
	enc, err := testUSD.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (testUSD *TestUSD) TryPackTotalSupply() ([]byte, error) {
	return testUSD.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (testUSD *TestUSD) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := testUSD.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (testUSD *TestUSD) PackTransfer(to common.Address, value *big.Int) []byte {
	enc, err := testUSD.abi.Pack("transfer", to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (testUSD *TestUSD) TryPackTransfer(to common.Address, value *big.Int) ([]byte, error) {
	return testUSD.abi.Pack("transfer", to, value)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 value) returns(bool)
func (testUSD *TestUSD) UnpackTransfer(data []byte) (bool, error) {
	out, err := testUSD.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (testUSD *TestUSD) PackTransferFrom(from common.Address, to common.Address, value *big.Int) []byte {
	enc, err := testUSD.abi.Pack("transferFrom", from, to, value)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (testUSD *TestUSD) TryPackTransferFrom(from common.Address, to common.Address, value *big.Int) ([]byte, error) {
	return testUSD.abi.Pack("transferFrom", from, to, value)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 value) returns(bool)
func (testUSD *TestUSD) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := testUSD.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// TestUSDApproval represents a Approval event raised by the TestUSD contract.
type TestUSDApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const TestUSDApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (TestUSDApproval) ContractEventName() string {
	return TestUSDApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (testUSD *TestUSD) UnpackApprovalEvent(log *types.Log) (*TestUSDApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != testUSD.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TestUSDApproval)
	if len(log.Data) > 0 {
		if err := testUSD.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range testUSD.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// TestUSDTransfer represents a Transfer event raised by the TestUSD contract.
type TestUSDTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const TestUSDTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (TestUSDTransfer) ContractEventName() string {
	return TestUSDTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (testUSD *TestUSD) UnpackTransferEvent(log *types.Log) (*TestUSDTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != testUSD.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(TestUSDTransfer)
	if len(log.Data) > 0 {
		if err := testUSD.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range testUSD.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// UnpackError attempts to decode the provided error data using user-defined
// error definitions.
func (testUSD *TestUSD) UnpackError(raw []byte) (any, error) {
	if bytes.Equal(raw[:4], testUSD.abi.Errors["ERC20InsufficientAllowance"].ID.Bytes()[:4]) {
		return testUSD.UnpackERC20InsufficientAllowanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], testUSD.abi.Errors["ERC20InsufficientBalance"].ID.Bytes()[:4]) {
		return testUSD.UnpackERC20InsufficientBalanceError(raw[4:])
	}
	if bytes.Equal(raw[:4], testUSD.abi.Errors["ERC20InvalidReceiver"].ID.Bytes()[:4]) {
		return testUSD.UnpackERC20InvalidReceiverError(raw[4:])
	}
	if bytes.Equal(raw[:4], testUSD.abi.Errors["FaucetLimit"].ID.Bytes()[:4]) {
		return testUSD.UnpackFaucetLimitError(raw[4:])
	}
	if bytes.Equal(raw[:4], testUSD.abi.Errors["OnlyOwner"].ID.Bytes()[:4]) {
		return testUSD.UnpackOnlyOwnerError(raw[4:])
	}
	return nil, errors.New("Unknown error")
}

// TestUSDERC20InsufficientAllowance represents a ERC20InsufficientAllowance error raised by the TestUSD contract.
type TestUSDERC20InsufficientAllowance struct {
	Spender   common.Address
	Allowance *big.Int
	Needed    *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)
func TestUSDERC20InsufficientAllowanceErrorID() common.Hash {
	return common.HexToHash("0xfb8f41b23e99d2101d86da76cdfa87dd51c82ed07d3cb62cbc473e469dbc75c3")
}

// UnpackERC20InsufficientAllowanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)
func (testUSD *TestUSD) UnpackERC20InsufficientAllowanceError(raw []byte) (*TestUSDERC20InsufficientAllowance, error) {
	out := new(TestUSDERC20InsufficientAllowance)
	if err := testUSD.abi.UnpackIntoInterface(out, "ERC20InsufficientAllowance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TestUSDERC20InsufficientBalance represents a ERC20InsufficientBalance error raised by the TestUSD contract.
type TestUSDERC20InsufficientBalance struct {
	Sender  common.Address
	Balance *big.Int
	Needed  *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)
func TestUSDERC20InsufficientBalanceErrorID() common.Hash {
	return common.HexToHash("0xe450d38cd8d9f7d95077d567d60ed49c7254716e6ad08fc9872816c97e0ffec6")
}

// UnpackERC20InsufficientBalanceError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)
func (testUSD *TestUSD) UnpackERC20InsufficientBalanceError(raw []byte) (*TestUSDERC20InsufficientBalance, error) {
	out := new(TestUSDERC20InsufficientBalance)
	if err := testUSD.abi.UnpackIntoInterface(out, "ERC20InsufficientBalance", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TestUSDERC20InvalidReceiver represents a ERC20InvalidReceiver error raised by the TestUSD contract.
type TestUSDERC20InvalidReceiver struct {
	Receiver common.Address
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error ERC20InvalidReceiver(address receiver)
func TestUSDERC20InvalidReceiverErrorID() common.Hash {
	return common.HexToHash("0xec442f055133b72f3b2f9f0bb351c406b178527de2040a7d1feb4e058771f613")
}

// UnpackERC20InvalidReceiverError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error ERC20InvalidReceiver(address receiver)
func (testUSD *TestUSD) UnpackERC20InvalidReceiverError(raw []byte) (*TestUSDERC20InvalidReceiver, error) {
	out := new(TestUSDERC20InvalidReceiver)
	if err := testUSD.abi.UnpackIntoInterface(out, "ERC20InvalidReceiver", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TestUSDFaucetLimit represents a FaucetLimit error raised by the TestUSD contract.
type TestUSDFaucetLimit struct {
	Asked *big.Int
	Limit *big.Int
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error FaucetLimit(uint256 asked, uint256 limit)
func TestUSDFaucetLimitErrorID() common.Hash {
	return common.HexToHash("0xd8ed9c26e5496877c11d3053a37a9b8b4e33de0a9fe69604f4f1da7f668af111")
}

// UnpackFaucetLimitError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error FaucetLimit(uint256 asked, uint256 limit)
func (testUSD *TestUSD) UnpackFaucetLimitError(raw []byte) (*TestUSDFaucetLimit, error) {
	out := new(TestUSDFaucetLimit)
	if err := testUSD.abi.UnpackIntoInterface(out, "FaucetLimit", raw); err != nil {
		return nil, err
	}
	return out, nil
}

// TestUSDOnlyOwner represents a OnlyOwner error raised by the TestUSD contract.
type TestUSDOnlyOwner struct {
}

// ErrorID returns the hash of canonical representation of the error's signature.
//
// Solidity: error OnlyOwner()
func TestUSDOnlyOwnerErrorID() common.Hash {
	return common.HexToHash("0x5fc483c5fcd3811670a93392f365a32f0fc9e73013bbed53888646cfd592055f")
}

// UnpackOnlyOwnerError is the Go binding used to decode the provided
// error data into the corresponding Go error struct.
//
// Solidity: error OnlyOwner()
func (testUSD *TestUSD) UnpackOnlyOwnerError(raw []byte) (*TestUSDOnlyOwner, error) {
	out := new(TestUSDOnlyOwner)
	if err := testUSD.abi.UnpackIntoInterface(out, "OnlyOwner", raw); err != nil {
		return nil, err
	}
	return out, nil
}
