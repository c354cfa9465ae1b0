module github.com/reefhq/reef

go 1.26

require (
	github.com/mr-tron/base58 v1.2.0
	lukechampine.com/blake3 v1.4.1
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/klauspost/cpuid/v2 v2.0.9 // indirect
	github.com/spf13/cobra v1.10.1 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
)
