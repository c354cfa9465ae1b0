// Package themes holds the console's colour themes: a semantic palette (colours by role,
// never by place), the built-in themes, user themes loaded from TOML, and the lipgloss
// styles every pane draws with. No colour appears anywhere else in the UI.
package themes

import (
	"errors"
	"fmt"
	"image/color"
	"os"
	"regexp"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/BurntSushi/toml"
)

// Theme is a palette of colours by role. Colours are hex strings ("#1e1e2e") or ANSI
// colour numbers ("12").
type Theme struct {
	Name string `toml:"name"`
	// Background and Foreground are the base text colours.
	Background string `toml:"background"`
	Foreground string `toml:"foreground"`
	// Muted is for secondary text (times, ids, hints).
	Muted string `toml:"muted"`
	// Border frames unfocused panes; FocusBorder the focused one.
	Border      string `toml:"border"`
	FocusBorder string `toml:"focus_border"`
	// Accent marks titles and keys; Highlight the current instruction in a replay.
	Accent    string `toml:"accent"`
	Highlight string `toml:"highlight"`
	// Selection is the background of a selected row.
	Selection string `toml:"selection"`
	// OK, Warn and Err colour statuses.
	OK   string `toml:"ok"`
	Warn string `toml:"warn"`
	Err  string `toml:"err"`
	// Info colours neutral events (forwards, lookups).
	Info string `toml:"info"`
}

var builtins = []Theme{
	{
		Name: "dark", Background: "#1b1d23", Foreground: "#d8dee9", Muted: "#7a8190",
		Border: "#3b4252", FocusBorder: "#5fb3b3", Accent: "#88c0d0", Highlight: "#ebcb8b",
		Selection: "#2e3440", OK: "#a3be8c", Warn: "#ebcb8b", Err: "#e06c75", Info: "#81a1c1",
	},
	{
		Name: "light", Background: "#fafafa", Foreground: "#2b303b", Muted: "#6c7280",
		Border: "#c8ccd4", FocusBorder: "#0b7285", Accent: "#1c63b8", Highlight: "#b35900",
		Selection: "#e4e9f0", OK: "#2b8a3e", Warn: "#b35900", Err: "#c92a2a", Info: "#3b5bdb",
	},
	{
		Name: "high-contrast", Background: "#000000", Foreground: "#ffffff", Muted: "#c0c0c0",
		Border: "#ffffff", FocusBorder: "#ffff00", Accent: "#00ffff", Highlight: "#ffff00",
		Selection: "#0000aa", OK: "#00ff00", Warn: "#ffff00", Err: "#ff3030", Info: "#00ffff",
	},
}

// Default is the name of the default theme.
const Default = "dark"

// Names lists the built-in themes, the default first.
func Names() []string {
	out := make([]string, len(builtins))
	for i, t := range builtins {
		out[i] = t.Name
	}
	return out
}

// Builtin returns a built-in theme by name.
func Builtin(name string) (Theme, bool) {
	for _, t := range builtins {
		if t.Name == name {
			return t, true
		}
	}
	return Theme{}, false
}

var colorRe = regexp.MustCompile(`^(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|[0-9]{1,3})$`)

// Validate checks that every colour is set and well formed.
func (t Theme) Validate() error {
	var errs []error
	for _, f := range t.fields() {
		switch {
		case *f.v == "":
			errs = append(errs, fmt.Errorf("%s is not set", f.name))
		case !colorRe.MatchString(*f.v):
			errs = append(errs, fmt.Errorf("%s = %q is not a colour (#rrggbb, #rgb or an ANSI number)", f.name, *f.v))
		}
	}
	return errors.Join(errs...)
}

type field struct {
	name string
	v    *string
}

func (t *Theme) fields() []field {
	return []field{
		{"background", &t.Background}, {"foreground", &t.Foreground}, {"muted", &t.Muted},
		{"border", &t.Border}, {"focus_border", &t.FocusBorder}, {"accent", &t.Accent},
		{"highlight", &t.Highlight}, {"selection", &t.Selection}, {"ok", &t.OK},
		{"warn", &t.Warn}, {"err", &t.Err}, {"info", &t.Info},
	}
}

// Load reads a user theme from a TOML file. Keys it leaves out are taken from the theme
// named by its "base" key (default: the default theme), so a user theme can change a
// single colour.
func Load(path string) (Theme, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Theme{}, fmt.Errorf("theme: %w", err)
	}
	var raw struct {
		Base string `toml:"base"`
		Theme
	}
	md, err := toml.Decode(string(b), &raw)
	if err != nil {
		return Theme{}, fmt.Errorf("theme %s: %w", path, err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		keys := make([]string, len(und))
		for i, k := range und {
			keys[i] = k.String()
		}
		return Theme{}, fmt.Errorf("theme %s: unknown keys %s", path, strings.Join(keys, ", "))
	}
	baseName := raw.Base
	if baseName == "" {
		baseName = Default
	}
	base, ok := Builtin(baseName)
	if !ok {
		return Theme{}, fmt.Errorf("theme %s: base %q is not a built-in theme (%s)", path, baseName, strings.Join(Names(), ", "))
	}
	t := raw.Theme
	bf, tf := base.fields(), t.fields()
	for i := range tf {
		if *tf[i].v == "" {
			*tf[i].v = *bf[i].v
		}
	}
	if t.Name == "" {
		t.Name = strings.TrimSuffix(path[strings.LastIndexAny(path, `/\`)+1:], ".toml")
	}
	if err := t.Validate(); err != nil {
		return Theme{}, fmt.Errorf("theme %s: %w", path, err)
	}
	return t, nil
}

// Resolve returns the built-in theme called nameOrFile, or loads the file.
func Resolve(nameOrFile string) (Theme, error) {
	if nameOrFile == "" {
		nameOrFile = Default
	}
	if t, ok := Builtin(nameOrFile); ok {
		return t, nil
	}
	if strings.HasSuffix(nameOrFile, ".toml") || strings.ContainsAny(nameOrFile, `/\`) {
		return Load(nameOrFile)
	}
	return Theme{}, fmt.Errorf("theme %q: not a built-in theme (%s) nor a .toml file", nameOrFile, strings.Join(Names(), ", "))
}

// Next returns the built-in theme after name (cycling), for a "switch theme" key.
func Next(name string) Theme {
	i := slices.IndexFunc(builtins, func(t Theme) bool { return t.Name == name })
	return builtins[(i+1)%len(builtins)]
}

// C converts a theme colour.
func C(s string) color.Color { return lipgloss.Color(s) }
