#!/usr/bin/env python3
"""Generates the script corpus for the AquaVM verdict oracle (see verdicts.mjs).

Prints a JSON array of AIR scripts: random instruction trees over a pool of operands
of every kind, random fold/next shapes for the static checks 2, 3 and 7,
word-classification cases, the hand-written probes below, the scripts quoted in the
Go tests of this package and the scripts of ../scripts.
"""
import glob, json, os, random, re, sys

PROBES = json.loads(r'''
[
 "(call \"p\" (\"s\" \"f\") [a%b] x)",
 "(seq (call \"p\" (\"s\" \"f\") [] a%b) (null))",
 "(seq (new a%b (null)) (null))",
 "(new a%b (call \"p\" (\"s\" \"f\") [a%b] x))",
 "(new a%b (call \"p\" (\"s\" \"f\") [a%b.$.x] x))",
 "(new $%b (call \"p\" (\"s\" \"f\") [$%b] x))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a!.b] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a.b!] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a!] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a!!] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[0]!.b] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$[0]] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.0] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.0a] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a0] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[00]] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[4294967295]] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[4294967296]] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[-1]] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[1a]] y))",
 "(new x (new 1a (call \"p\" (\"s\" \"f\") [x.$.[1a]] y)))",
 "(new x (call \"p\" (\"s\" \"f\") [x.length!] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$..a] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a.length] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a[0]] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a.[0].[1]] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a.[\"k\"]] y))",
 "(call \"p\" (\"s\" \"f\") [٣] y)",
 "(call \"p\" (\"s\" \"f\") [½] y)",
 "(new ٣ (call \"p\" (\"s\" \"f\") [٣] y))",
 "(call \"p\" (\"s\" \"f\") [1.] y)",
 "(call \"p\" (\"s\" \"f\") [+1.5] y)",
 "(call \"p\" (\"s\" \"f\") [-0.0] y)",
 "(call \"p\" (\"s\" \"f\") [1234567890.] y)",
 "(call \"p\" (\"s\" \"f\") [12345678901.] y)",
 "(call \"p\" (\"s\" \"f\") [+] y)",
 "(call \"p\" (\"s\" \"f\") [-] y)",
 "(call \"p\" (\"s\" \"f\") [9223372036854775807] y)",
 "(call \"p\" (\"s\" \"f\") [9223372036854775808] y)",
 "(call \"p\" (\"s\" \"f\") [-9223372036854775808] y)",
 "(call \"p\" (\"s\" \"f\") [+3] y)",
 "(call \"p\" (\"s\" \"f\") [1.5x] y)",
 "(call \"p\" (\"s\" \"f\") [1..2] y)",
 "(call \"p\" (\"s\" \"f\") [.5] y)",
 "(call \"p\" (\"s\" \"f\") [-.5] y)",
 "(call \"p\" (\"s\" \"f\") [-abc] y)",
 "(new -abc (call \"p\" (\"s\" \"f\") [-abc] y))",
 "(new 1abc (call \"p\" (\"s\" \"f\") [1abc] y))",
 "(new -1abc (call \"p\" (\"s\" \"f\") [-1abc] y))",
 "(call \"p\" (\"s\" \"f\") [%init_peer_id%x] y)",
 "(call \"p\" (\"s\" \"f\") [:error:x] y)",
 "(call \"p\" (\"s\" \"f\") [:error:.$.x] y)",
 "(call \"p\" (\"s\" \"f\") [:error:.length] y)",
 "(call \"p\" (\"s\" \"f\") [%last_error%.$.message!] y)",
 "(call \"p\" (\"s\" \"f\") [%last_error%.length] y)",
 "(call \"p\" (\"s\" \"f\") [%ttl% %timestamp%] y)",
 "(call \"p\" (\"s\" \"f\") [%ttl%.$.a] y)",
 "(call \"p\" (\"s\" \"f\") [[ ]] y)",
 "(call \"p\" (\"s\" \"f\") [[]] y)",
 "(call \"p\" (\"s\" \"f\") [\"a\"] y)",
 "(call \"p\" (\"s\" \"f\") [\"a\"\"b\"] y)",
 "(call \"p\" (\"s\" \"f\") [true false] y)",
 "(call \"p\" (\"s\" \"f\") [] true)",
 "(new true (null))",
 "(new call (null))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.٣a] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.a٣] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.-a] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$._a] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[_a]] y))",
 "(new x (new _a (call \"p\" (\"s\" \"f\") [x.$.[_a]] y)))",
 "(call \"p\" (\"s\" \"f\") [٣a] y)",
 "(new ٣a (call \"p\" (\"s\" \"f\") [٣a] y))",
 "(new a٣ (call \"p\" (\"s\" \"f\") [a٣] y))",
 "(call \"p\" (\"s\" \"f\") [1٣] y)",
 "(call \"p\" (\"s\" \"f\") [1.٣] y)",
 "(new $ss (call \"p\" (\"s\" \"f\") [$ss.$.a] y))",
 "(new $ss (ap $ss.$.a y))",
 "(new %mm (ap %mm.$.a y))",
 "(new $s (canon \"p\" $s.$.a #cc))",
 "(new #c (call \"p\" (\"s\" \"f\") [#c] y))",
 "(new #c (call \"p\" (\"s\" \"f\") [#c.length] y))",
 "(new #$c (call \"p\" (\"s\" \"f\") [#$c.length] y))",
 "(new #%c (call \"p\" (\"s\" \"f\") [#%c.length] y))",
 "(new #c (call #c (\"s\" \"f\") [] y))",
 "(new #cc (call #cc.$.[0] (\"s\" \"f\") [] y))",
 "(new #%cc (call #%cc.$.k (\"s\" \"f\") [] y))",
 "(new #%cc (call #%cc (\"s\" \"f\") [] y))",
 "(call %init_peer_id% (\"s\" \"f\") [] y)",
 "(call :error: (\"s\" \"f\") [] y)",
 "(new x (call x.$.a (x x.$.b) [] y))",
 "(new #cc (call \"p\" (#cc.$.[0] #cc.length) [] y))",
 "(call \"p\" (%init_peer_id% \"f\") [] y)",
 "(new %m (canon \"p\" %m #%c))",
 "(new %m (canon \"p\" %m cc))",
 "(new %m (canon \"p\" %m #c))",
 "(new $s (canon \"p\" $s #%c))",
 "(new $s (canon \"p\" $s cc))",
 "(canon \"p\" $s #c)",
 "(canon \"p\" %m #%c)",
 "(fold %m i (null))",
 "(new %m (fold %m i (null)))",
 "(fold $s i (null))",
 "(fold [] i (null))",
 "(new #c (fold #c i (null)))",
 "(new #cc (fold #cc.$.x i (null)))",
 "(new #cc (fold #cc.length i (null)))",
 "(new #%cc (fold #%cc.$.x i (null)))",
 "(new #%cc (fold #%cc i (null)))",
 "(new x (fold x.$.a i (null) (null)))",
 "(new x (fold x i (null) (null) (null)))",
 "(fold \"a\" i (null))",
 "(fold 1 i (null))",
 "(new x (fold x i.$.a (null)))",
 "(new x (fold x $i (null)))",
 "(fail 0 \"x\")",
 "(fail -1 \"x\")",
 "(fail +5 \"x\")",
 "(fail 1.5 \"m\")",
 "(fail \"m\")",
 "(fail 1 m)",
 "(fail %last_error%)",
 "(fail %last_error%.$.x)",
 "(fail :error:)",
 "(fail :error:.$.message)",
 "(new x (fail x))",
 "(new x (fail x.$.e))",
 "(new #cc (fail #cc.$.[0]))",
 "(new #c (fail #c))",
 "(new #%cc (fail #%cc.$.a))",
 "(new $s (fail $s))",
 "(fail %init_peer_id%)",
 "(fail 9223372036854775807 \"x\")",
 "(new $s (fold $s i (seq (next i) (null))))",
 "(new $s (fold $s i (par (next i) (null))))",
 "(new $s (fold $s i (xor (next i) (null))))",
 "(new $s (fold $s i (xor (null) (next i))))",
 "(new $s (fold $s i (seq (null) (next i))))",
 "(new $s (fold $s i (par (null) (next i))))",
 "(new $s (fold $s i (seq (seq (null) (next i)) (null))))",
 "(new $s (fold $s i (seq (xor (next i) (null)) (null))))",
 "(new $s (fold $s i (seq (xor (null) (next i)) (null))))",
 "(new $s (fold $s i (seq (par (null) (next i)) (null))))",
 "(new $s (fold $s i (par (seq (null) (next i)) (null))))",
 "(new $s (fold $s i (seq (new x (next i)) (null))))",
 "(new $s (fold $s i (seq (match 1 1 (next i)) (null))))",
 "(new $s (fold $s i (seq (null) (new x (next i)))))",
 "(new $s (fold $s i (null) (next i)))",
 "(new $s (fold $s i (seq (next i) (null)) (null)))",
 "(new $s (fold $s i (xor (seq (next i) (null)) (null))))",
 "(new $s (fold $s i (xor (par (next i) (null)) (null))))",
 "(new $s (fold $s i (xor (seq (null) (next i)) (seq (null) (null)))))",
 "(new $s (fold $s i (seq (xor (null) (null)) (next i))))",
 "(new $s (fold $s i (seq (seq (null) (null)) (next i))))",
 "(new $s (fold $s i (seq (seq (next i) (null)) (null))))",
 "(new $s (new $t (fold $s i (fold $t j (seq (next j) (next i))))))",
 "(new $s (new $t (fold $s i (fold $t j (seq (next i) (next j))))))",
 "(new $s (new $t (fold $s i (seq (fold $t j (next j)) (next i)))))",
 "(new $s (new $t (fold $s i (seq (fold $t j (seq (next j) (null))) (next i)))))",
 "(new $s (new $t (fold $s i (seq (next i) (fold $t j (next j))))))",
 "(new x (fold x i (seq (next i) (null))))",
 "(new x (fold x i (seq (next i) (next i))))",
 "(new x (fold x i (next j)))",
 "(new x (next i))",
 "(new x (fold x i (fold x i (next i))))",
 "(new x (fold x i (seq (fold x j (next j)) (fold x j (next j)))))",
 "(new x (fold x i (new i (null))))",
 "(new x (fold x i (new $i (null))))",
 "(new x (seq (fold x i (null)) (new i (null))))",
 "(new x (fold x i (null) (new i (null))))",
 "(new x (fold x i (null) (next i)))",
 "(new $s (fold $s i (xor (next i) (next i))))",
 "(new x (seq (fold x i (null)) (call \"p\" (\"s\" \"f\") [i])))",
 "(new x (fold x i (seq (null) (call \"p\" (\"s\" \"f\") [i]))))",
 "(seq (call \"p\" (\"s\" \"f\") [] x) (call \"p\" (\"s\" \"f\") [x]))",
 "(call \"p\" (\"s\" \"f\") [x] x)",
 "(par (call \"p\" (\"s\" \"f\") [x] y) (call \"p\" (\"s\" \"f\") [] x))",
 "(par (call \"p\" (\"s\" \"f\") [] x) (call \"p\" (\"s\" \"f\") [x] y))",
 "(null) (null)",
 "(null))",
 "(null) ; comment",
 "; c",
 "(null)",
 "(null;x)",
 "(null) x;y",
 "(seq (null)(null))",
 "(seq(null)(null))",
 "(call \"p\" (\"s\" \"f\") [x;y] z)",
 "(call \"p\" (\"s\" \"f\") [a(b)] z)",
 "(call \"p\" (\"s\" \"f\") [a(b] z)",
 "(call \"p\" (\"s\" \"f\") [a[0]] z)",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[0]]] z))",
 "(call \"p\" (\"s\" \"f\") [{}] z)",
 "(call \"p\" (\"s\" \"f\") [\"abc] z)",
 "(call \"p\" (\"s\" \"f\") [\"a\\\"b\"] z)",
 "(call \"p\" (\"s\" \"f\") [\"a",
 "b\"] z)",
 "(call\t\"p\"\t(\"s\" \"f\")\t[]\tz)",
 "(call \"p\" (\"s\" \"f\") [] z)",
 "(call \"p\"(\"s\" \"f\")[]z)",
 "(call \"p\" (\"s\" \"f\") [] #c)",
 "(call \"p\" (\"s\" \"f\") [] %m)",
 "(call \"p\" (\"s\" \"f\") [] x.$.a)",
 "(call \"p\" (\"s\" \"f\") [] $s)",
 "(call \"p\" (\"s\" \"f\") [$s] z)",
 "(call \"p\" (\"s\" \"f\") [%m] z)",
 "(new #%m (call \"p\" (\"s\" \"f\") [#%m] z))",
 "(call \"p\" (\"s\" \"f\") [] z w)",
 "(call \"p\" (\"s\") [] z)",
 "(call \"p\" (\"s\" \"f\" \"g\") [] z)",
 "(call \"p\" [] z)",
 "(call \"p\" (\"s\" \"f\"))",
 "(call \"p\" (\"s\" \"f\") [)",
 "(ap 1 x)",
 "(ap 1 $s)",
 "(ap 1 %m)",
 "(ap 1 #c)",
 "(ap 1.5 x)",
 "(ap [] x)",
 "(ap true x)",
 "(ap %init_peer_id% x)",
 "(ap :error: x)",
 "(ap :error:.$.message x)",
 "(ap %last_error%.length x)",
 "(ap %ttl% x)",
 "(ap %timestamp% x)",
 "(new #%m (ap #%m x))",
 "(new #%m (ap #%m.$.k x))",
 "(new #c (ap #c x))",
 "(ap (\"k\" 1) %m)",
 "(ap (1 1) %m)",
 "(ap (1.5 1) %m)",
 "(ap (true 1) %m)",
 "(ap ([] 1) %m)",
 "(ap (%init_peer_id% 1) %m)",
 "(new #c (ap (#c 1) %m))",
 "(new #cc (ap (#cc.$.[0] 1) %m))",
 "(new #%cc (ap (#%cc.$.k 1) %m))",
 "(new #%cc (ap (\"k\" #%cc) %m))",
 "(new #%cc (ap (\"k\" #%cc.$.a) %m))",
 "(new x (ap (x.$.a x.length) %m))",
 "(ap (\"k\" 1) $s)",
 "(ap (\"k\" 1) x)",
 "(ap (\"k\" 1 2) %m)",
 "(ap (\"k\") %m)",
 "(match 1 1 (null))",
 "(match 1.0 \"a\" (null))",
 "(match %init_peer_id% :error:.$.x (null))",
 "(match $s 1 (null))",
 "(match [] true (null))",
 "(new #%m (match #%m 1 (null)))",
 "(mismatch %ttl% %timestamp% (null))",
 "(match 1 1)",
 "(match 1 (null))",
 "(new $s (null))",
 "(new %m (null))",
 "(new #%m (null))",
 "(new x.$.a (null))",
 "(new 1 (null))",
 "(new \"x\" (null))",
 "(next 1)",
 "(new x (next x.$.a))",
 "(canon %init_peer_id% $s #c)",
 "(canon x $s #c)",
 "(new x (canon x $s #c))",
 "(new x (canon x.$.a $s #c))",
 "(canon :error: $s #c)",
 "(canon \"p\" \"s\" #c)",
 "(canon \"p\" $s x)",
 "(canon \"p\" $s $t)",
 "(canon \"p\" $s #c.$.a)",
 "(xor (null) (null))",
 "(par (null))",
 "(seq (null) (null) (null))",
 "(never)",
 "(never x)",
 "(null x)",
 "(foo)",
 "()",
 "null",
 "(Null)",
 "(ap 1e5 x)",
 "(ap 1-2 x)",
 "(ap 1.5. x)",
 "(ap -0 x)",
 "(ap 00 x)",
 "(ap +-1 x)",
 "(ap --1 x)",
 "(ap 1- x)",
 "(ap -1.5e3 x)",
 "(ap ² x)",
 "(ap 1² x)",
 "(ap a² x)",
 "(ap é x)",
 "(ap a·b x)",
 "(ap a‿b x)",
 "(ap a_b-c x)",
 "(ap _ x)",
 "(ap - x)",
 "(ap -- x)",
 "(new x (ap x.length x))",
 "(new x (ap x.$.a.length x))",
 "(ap :error:! x)",
 "(ap :error:.$.a! x)",
 "(ap :error:.$.[i] x)",
 "(new i (ap :error:.$.[i] x))",
 "(ap %last_error%x x)",
 "(ap :error: :error:)",
 "(ap 1 %init_peer_id%)",
 "(ap 1 true)",
 "(ap 1 1)",
 "(ap 1 \"x\")",
 "(ap x.$.a x)",
 "(new $%b (ap 1 $%b))",
 "(new #$ (null))",
 "(new # (null))",
 "(new $ (null))",
 "(new % (null))",
 "(new #% (null))",
 "(new #%. (null))",
 "(new #$.a (null))",
 "(new a% (null))",
 "(new %a (null))",
 "(new %%a (null))",
 "(new #$$a (null))",
 "(new #a$ (null))",
 "(new a%b%c (null))",
 "(new #%a.$.b (null))",
 "(ap 1 $ab.c)",
 "(new #ab (ap #ab.$.[0]! x))",
 "(new #ab (ap #ab.length x))",
 "(new #$a (ap #$a.$[0] x))",
 "(new #%a (ap #%a.$.k x))",
 "(new #%a (ap #%a.$.[k] x))",
 "(new x (new k (ap x.$.[k].a.[1] y)))",
 "(new x (ap x.$.a.[1]!. y))",
 "(new x (ap x.$@ y))",
 "(new x (ap x.$.a@ y))",
 "(ap \"x\" y)",
 "(call \"p\" (\"s\" \"f\") [] -)",
 "(canon x.$.a $s #c)",
 "(canon #cc.$.a $s #c)",
 "(canon \"p\" %m x)",
 "(call x (\"s\" \"f\") [] y)",
 "(call \"p\" (x \"f\") [] y)",
 "(call \"p\" (\"s\" x) [] y)",
 "(call \"p\" (\"s\" \"f\") [x] y)",
 "(call \"p\" (\"s\" \"f\") [#c] y)",
 "(call \"p\" (\"s\" \"f\") [#%c] y)",
 "(call \"p\" (\"s\" \"f\") [:error:.$.[k]] y)",
 "(call \"p\" (\"s\" \"f\") [%last_error%.$.[k]] y)",
 "(ap x y)",
 "(ap (x 1) %m)",
 "(ap (1 x) %m)",
 "(match x 1 (null))",
 "(match 1 x (null))",
 "(mismatch x 1 (null))",
 "(fail x)",
 "(fail #cc.$.a)",
 "(fold x i (null))",
 "(fold #c i (null))",
 "(fold #%c i (null))",
 "(fold x.$.[k] i (null))",
 "(fold #%cc.$.[k] i (null))",
 "(new x (fold x i (fold i j (null))))",
 "(new x (fold x i (fold i.$.[k] j (null))))",
 "(new x (seq (fold x i (null)) (fold i j (null))))",
 "(new x (fold x.$.[i] i (null)))",
 "(new x (fold x i (null) (call \"p\" (\"s\" \"f\") [i] y)))",
 "(seq (new x (null)) (call \"p\" (\"s\" \"f\") [x] y))",
 "(seq (seq (call \"p\" (\"s\" \"f\") [] $s) (fold $s i (null))) (null))",
 "(seq (ap 1 $s) (fold $s i (null)))",
 "(seq (canon \"p\" $s #c) (fold $s i (null)))",
 "(seq (canon \"p\" %m x) (fold %m i (null)))",
 "(seq (ap (\"k\" 1) %m) (fold %m i (null)))",
 "(seq (canon \"p\" $s #c) (call \"p\" (\"s\" \"f\") [#c] y))",
 "(seq (canon \"p\" %m #%c) (call \"p\" (\"s\" \"f\") [#%c] y))",
 "(seq (canon \"p\" %m x) (call \"p\" (\"s\" \"f\") [x] y))",
 "(seq (new $s (null)) (fold $s i (null)))",
 "(seq (new #c (null)) (call \"p\" (\"s\" \"f\") [#c] y))",
 "(seq (fold [] i (null)) (call \"p\" (\"s\" \"f\") [i] y))",
 "(seq (call \"p\" (\"s\" \"f\") [] $s) (call \"p\" (\"s\" \"f\") [$s] y))",
 "(new $s (canon \"p\" $s #c))",
 "(xor (call %init_peer_id% (\"s\" \"f\") [] x) (call x (\"s\" \"f\") [x] y))",
 "(new x (call x.$.[k] (\"s\" \"f\") [] y))",
 "(new x (call \"p\" (x.$.[k] \"f\") [] y))",
 "(new x (call \"p\" (\"s\" \"f\") [x.$.[k]] y))",
 "(new x (ap x.$.[k] y))",
 "(new x (ap (x.$.[k] 1) %m))",
 "(new x (ap (1 x.$.[k]) %m))",
 "(new x (match x.$.[k] 1 (null)))",
 "(new x (fail x.$.[k]))",
 "(new x (canon x.$.[k] $s #c))",
 "(new x (ap x.$.[x] y))",
 "(call \"p\" (\"s\" \"f\") [%last_error%.$.[k] :error:.$.[k]] y)",
 "(ap :error:.$.[k] y)",
 "(ap (:error:.$.[k] 1) %m)",
 "(match :error:.$.[k] 1 (null))",
 "(fold :error:.$.[k] i (null))",
 "(new #cc (call \"p\" (\"s\" \"f\") [#cc.$.[k]] y))",
 "(ap (1 #cc.$.[0]) %m)",
 "(ap (1 #%cc) %m)",
 "(ap (1 #%cc.$.a) %m)",
 "(ap (1 #c) %m)",
 "(new x (ap (x.$.[k] x.$.[j]) %m))",
 "(new x (seq (fold x i (null)) (next i)))",
 "(new x (seq (fold x i (next i)) (next i)))",
 "(new x (seq (fold x i (null)) (seq (next i) (next i))))",
 "(new x (seq (next i) (fold x i (null))))",
 "(new x (seq (fold x i (null)) (fold x j (next i))))",
 "(new x (seq (fold x i (null)) (fold x j (seq (next i) (next j)))))",
 "(new x (seq (fold x i (next i)) (fold x j (seq (next i) (next j)))))",
 "(new x (seq (new i (null)) (next i)))",
 "(new x (seq (call \"p\" (\"s\" \"f\") [] i) (next i)))",
 "(new x (seq (fold x i (null)) (fold x i (next i))))",
 "(new x (fold x i (seq (fold x j (next j)) (fold x j (next i)))))",
 "(new x (seq (fold x i (fold x j (null))) (fold x j (null))))",
 "(new x (fold x i (seq (fold x j (null)) (fold x j (null)))))",
 "(new x (fold x i (seq (fold x j (null)) (fold x i (null)))))",
 "(new x (seq (fold x i (null)) (fold x i (fold x i (null)))))",
 "(new x (fold x i (null) (fold x i (null))))",
 "(new x (seq (fold x i (seq (next i) (null))) (next i)))",
 "(new x (seq (fold x i (next i)) (seq (next i) (next i))))",
 "(new x (seq (next i) (fold x i (next i))))",
 "(new x (seq (fold x i (null)) (seq (fold x i (next i)) (next i))))",
 "(new x (seq (fold x i (next i)) (seq (null) (next i))))",
 "(new x (par (next i) (fold x i (next i))))",
 "(new x (seq (fold x i (next i)) (fold x i (seq (next i) (next i)))))",
 "(new x (seq (fold x i (next i)) (fold x j (next i))))",
 "(new x (fold x j (seq (fold x i (next i)) (next i))))",
 "(new x (seq (fold x i (next i)) (fold x i (null))))",
 "(new x (seq (fold x i (null)) (fold x i (null))))",
 "(new x (seq (seq (fold x i (null)) (next i)) (fold x i (next i))))",
 "(new x (seq (seq (fold x i (null)) (next i)) (fold x i (null))))",
 "(new x (seq (fold x i (next i)) (seq (next i) (fold x i (next i)))))",
 "(new x (seq (fold x i (next i)) (seq (fold x i (next i)) (next i))))",
 "(new x (seq (fold x i (seq (next i) (next j))) (fold x j (next j))))",
 "(new x (seq (fold x j (next j)) (fold x i (seq (next i) (next j)))))",
 "(new x (seq (fold x i (next i)) (seq (fold x i (null)) (next i))))",
 "(new x (fold x i (seq (next i) (fold x j (next i)))))",
 "(new x (fold x i (fold x j (seq (next j) (next i)))))",
 "(new x (fold x i (fold x j (seq (next i) (next j)))))",
 "(new x (fold x i (seq (fold x j (next j)) (next j))))",
 "(new $s (new $t (fold $s i (seq (fold $t j (xor (next j) (next i))) (null)))))",
 "(new $s (new $t (seq (fold $s i (seq (fold $t j (xor (next j) (next i))) (null))) (fold $t k (seq (next k) (null))))))",
 "(new $s (new $t (seq (fold $t k (seq (next k) (null))) (fold $s i (fold $t j (xor (next j) (next i)))))))",
 "(new $s (new $t (fold $s i (fold $t j (seq (xor (next j) (next i)) (null))))))",
 "(new x (new $s (fold $s i (seq (fold x j (xor (next j) (next i))) (null)))))",
 "(new x (new $s (fold $s i (seq (fold x j (xor (next j) (null))) (next i)))))",
 "(new $s (new $t (fold $s i (seq (xor (fold $t j (next j)) (next i)) (null)))))",
 "(new $s (new x (fold $s i (seq (xor (next i) (fold x j (next j))) (null)))))",
 "(new $s (new $t (fold $s i (seq (fold $t j (par (next j) (next i))) (null)))))",
 "(new $s (new $t (fold $s i (seq (seq (fold $t j (xor (next j) (next i))) (null)) (null)))))",
 "(new $s (new $t (new $u (fold $s i (seq (fold $t j (xor (next j) (next i))) (fold $u k (seq (next k) (null))))))))",
 "(new x (new $s (fold x i (fold $s j (seq (next i) (next j))))))",
 "(new x (new $s (fold $s i (fold x j (seq (next i) (next j))))))",
 "(new x (new $s (fold $s i (seq (fold x j (next j)) (null)))))",
 "(new x (new $s (fold $s i (seq (fold x j (seq (next j) (null))) (null)))))",
 "(new x (new $s (fold $s i (seq (xor (fold x j (next j)) (null)) (null)))))",
 "(new $s (new $t (fold $s i (xor (fold $t j (seq (next j) (null))) (next i)))))",
 "(new $s (new $t (fold $s i (xor (next i) (fold $t j (seq (next j) (null)))))))",
 "(new $s (new $t (fold $s i (seq (xor (next i) (fold $t j (next j))) (null)))))",
 "(new $s (new $t (seq (fold $s i (xor (next i) (fold $t j (next j)))) (fold $t k (seq (next k) (null))))))",
 "(new $s (new $t (seq (fold $s i (seq (next i) (null))) (fold $t j (xor (next j) (fold $t k (next k)))))))",
 "(new $s (new $t (seq (xor (fold $s i (next i)) (fold $t k (next k))) (fold $t j (seq (next j) (null))))))",
 "(new $s (new $t (xor (fold $s i (next i)) (fold $t k (seq (next k) (null))))))",
 "(new $s (new $t (xor (fold $s i (seq (next i) (null))) (fold $t k (next k)))))",
 "(new x (new $s (seq (fold $s i (seq (next i) (null))) (fold x k (xor (next k) (fold x j (next j)))))))",
 "(new x (new $s (seq (xor (fold x k (next k)) (fold x j (next j))) (fold $s i (seq (next i) (null))))))",
 "(new x (new $s (fold $s i (seq (next i) (xor (fold x k (next k)) (fold x j (next j)))))))",
 "(new x (new $s (fold $s i (seq (xor (fold x k (next k)) (fold x j (next j))) (seq (next i) (null))))))",
 "(new $s (new x (fold $s i (seq (seq (next i) (null)) (fold x j (fold x k (xor (next j) (next k))))))))",
 "(new $s (new x (fold $s i (seq (fold x j (fold x k (xor (next j) (next k)))) (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (xor (next j) (next k)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (xor (seq (next k) (next j)) (null)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (par (next j) (next k)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (xor (seq (null) (next j)) (par (next k) (null))))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (xor (new y (next j)) (match 1 1 (next k))))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (xor (next j) (fold x k (next k)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (xor (xor (next j) (next k)) (null)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (xor (null) (xor (next j) (next k))))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (seq (xor (next j) (next k)) (null)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (null) (fold x k (xor (next j) (next k)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (null) (xor (next j) (next k)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (fold x k (next k) (xor (next j) (null)))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (xor (fold x k (next k)) (next j))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (xor (next j) (next j))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (seq (next j) (next j))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (seq (fold x j (next j)) (next j)) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (xor (fold x j (next j)) (next j)) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (xor (next j) (fold x j (next j))) (fold $s i (seq (next i) (null))))))",
 "(new $s (new x (seq (fold x j (next j)) (seq (xor (next j) (next j)) (fold $s i (seq (next i) (null)))))))",
 "(new $s (new x (seq (fold x j (next j)) (seq (xor (next j) (next k)) (fold $s i (seq (next i) (null)))))))",
 "(new $s (new $t (new %m (new x (new #c (xor (fold %m k (fold %m i (fold x j (xor (par (next k) (next j)) (xor (never) (next i))))) (null)) (par (match 1 1 (mismatch 1 2 (par (fold x i (null) (next i)) (xor (next j) (next j))))) (xor (fold $t k (null) (null)) (fold #c k (fold %m i (mismatch 1 2 (next i))))))))))))",
 "(new $s (new $t (new %m (new x (new #c (xor (fold [] j (par (next j) (never))) (fold $t j (never))))))))",
 "(new $t (seq (fold [] j (par (next j) (never))) (fold $t j (never))))",
 "(new $t (seq (fold [] j (par (next j) (never))) (fold $t k (never))))",
 "(new $t (seq (fold $t j (never)) (fold [] j (par (next j) (never)))))",
 "(new $t (seq (fold [] j (par (next j) (never))) (fold $t j (next j))))",
 "(new $t (seq (fold [] j (par (next j) (never))) (seq (null) (fold $t j (never)))))",
 "(new $t (fold $t j (seq (fold [] j2 (par (next j2) (never))) (null))))",
 "(new $t (seq (fold [] j (seq (seq (next j) (never)) (null))) (fold $t j (never))))",
 "(new $t (seq (fold [] j (par (next j) (never))) (seq (fold [] j (par (next j) (never))) (fold $t j (never)))))",
 "(new $t (seq (seq (fold [] j (next j)) (par (next j) (never))) (fold $t j (never))))",
 "(new $t (seq (fold [] j (par (next j) (never))) (fold $t j (null) (null))))",
 "(new $t (seq (xor (fold [] j (par (next j) (never))) (xor (next k) (next k))) (fold $t j (never))))",
 "(new %m (fold %m k (fold %m i (fold x j (xor (par (next k) (next j)) (xor (never) (next i)))))))",
 "(new %m (fold %m k (fold x j (xor (par (next k) (next j)) (null)))))",
 "(new %m (fold %m k (fold x j (xor (par (next k) (next j)) (next k)))))",
 "(new %m (fold %m k (fold %m i (fold x j (xor (par (next k) (null)) (xor (never) (next i)))))))",
 "(new %m (fold %m k (fold %m i (xor (par (next k) (null)) (next i)))))",
 "(new %m (fold %m k (fold %m i (xor (seq (next k) (null)) (next i)))))",
 "(new %m (fold %m k (fold %m i (xor (next k) (next i)))))",
 "(new %m (seq (fold %m k (fold %m i (xor (par (next k) (null)) (next i)))) (fold %m z (seq (next z) (null)))))",
 "(new $s (new x (seq (fold x a (fold x b (fold x c (xor (seq (next a) (next b)) (next c))))) (fold $s z (seq (next z) (null))))))",
 "(new $s (new x (seq (fold x a (fold x b (fold x c (xor (par (next a) (next b)) (next c))))) (fold $s z (seq (next z) (null))))))",
 "(new $s (new x (seq (fold x a (fold x b (xor (seq (next a) (null)) (next b)))) (fold $s z (seq (next z) (null))))))",
 "(new $s (new x (seq (fold x a (fold x b (xor (seq (null) (seq (null) (next a))) (next b)))) (fold $s z (seq (next z) (null))))))",
 "(new $s (new x (seq (fold x a (fold x b (fold x c (xor (next c) (seq (next a) (next b)))))) (fold $s z (seq (next z) (null))))))",
 "(new $s (new x (seq (fold x a (fold x b (fold x c (seq (xor (next c) (seq (next a) (next b))) (null))))) (fold $s z (seq (next z) (null))))))",
 "(new $s (new x (seq (fold x a (fold x b (fold x c (xor (seq (seq (next a) (next b)) (null)) (next c))))) (fold $s z (seq (next z) (null))))))",
 "(new $s (new x (seq (fold x a (fold x b (fold x c (xor (seq (next a) (seq (next b) (null))) (next c))))) (fold $s z (seq (next z) (null))))))",
 "(new $s (new x (seq (fold x a (fold x b (fold x c (xor (seq (next a) (seq (null) (next b))) (next c))))) (fold $s z (seq (next z) (null))))))",
 "(new $s (fold $s i (seq (fold [] j (next i)) (null))))",
 "(new $s (new x (seq (fold x a (fold x b (xor (fold x c (next a)) (next b)))) (fold $s z (seq (next z) (null))))))",
 "(new $s (fold $s i (seq (fold [] j (null) (next i)) (null))))",
 "(new $s (fold $s i (seq (new y (fold [] j (seq (null) (next i)))) (null))))",
 "(new $s (fold $s i (seq (fold [] j (seq (next i) (null))) (null))))",
 "(new $t (new x (fold $t j (fold x i (par (fold $t l (null) (next j)) (null))) (never))))",
 "(new $t (fold $t j (par (fold $t l (null) (next j)) (null))))",
 "(new $t (new x (fold $t j (par (fold x l (null) (next j)) (null)))))",
 "(new $t (fold $t j (par (fold $t l (next j) (null)) (null))))",
 "(new $t (fold $t j (par (fold $t l (next l) (next j)) (null))))",
 "(new $t (fold $t j (par (fold $t l (next l) (seq (next j) (null))) (null))))",
 "(new $t (new x (seq (fold x a (fold x b (xor (fold $t l (null) (next a)) (next b)))) (fold $t z (seq (next z) (null))))))",
 "(new $t (new x (seq (fold x a (fold x b (xor (fold $t l (next a) (null)) (next b)))) (fold $t z (seq (next z) (null))))))",
 "(new $t (fold $t j (par (fold $t l (null) (xor (null) (next j))) (null))))",
 "(new $t (fold $t j (par (fold $t l (xor (null) (next j)) (null)) (null))))",
 "(new $t (fold $t j (seq (fold $t l (null) (new y (next j))) (null))))",
 "(new $t (fold $t j (null) (seq (fold $t l (null) (next j)) (null))))",
 "(new $t (fold $t j (seq (fold $t l (seq (null) (next j)) (null)) (null))))"
]
''')

OPS = ['x', 'x.$.a', 'x.$.[i]', 'x.length', 'y', '$s', '%m', '#c', '#cc.$.[0]', '#cc.length', '#cc',
       '#%m', '#%m.$.k', '#%m.length', '"lit"', '1', '-2', '1.5', 'true', '[]', '%init_peer_id%',
       ':error:', ':error:.$.message', '%last_error%', '%last_error%.$.m', '%ttl%', '%timestamp%',
       'i', 'j', 'k.$.[j]', '$t', '#$c', 'a%b', '0']
OUTS = ['x', 'y', 'z', '$s', '$t', '%m', '#c', '#cc', '#%m', 'i', 'x.$.a', '"lit"', '1', 'k']
ITERS = ['i', 'j', 'k', 'x', '$i']
DEFS = ['x', 'y', 'k', '$s', '$t', '%m', '#c', '#cc', '#%m', '#$c', 'a%b', 'i', 'j']


def op():
    return random.choice(OPS)


def leaf(d):
    r = random.random()
    if r < 0.25:
        args = ' '.join(op() for _ in range(random.randint(0, 3)))
        o = random.choice([''] + OUTS)
        return f'(call {op()} ({op()} {op()}) [{args}]{" " + o if o else ""})'
    if r < 0.35:
        return f'(canon {op()} {random.choice(["$s", "%m", "$t", op()])} {random.choice(OUTS)})'
    if r < 0.45:
        return f'(ap {op()} {random.choice(OUTS)})'
    if r < 0.52:
        return f'(ap ({op()} {op()}) {random.choice(["%m", "%n", "$s", "x"])})'
    if r < 0.60:
        return random.choice(['(null)', '(never)'])
    if r < 0.72:
        return f'(next {random.choice(ITERS)})'
    if r < 0.80:
        return random.choice([f'(fail {op()})', f'(fail {random.choice(["0", "1", "-3", "1.5"])} "m")',
                              '(fail :error:)', '(fail %last_error%)'])
    return f'(new {random.choice(OUTS)} {tree(d + 1)})'


def tree(d=0):
    if d > 4 or random.random() < 0.3:
        return leaf(d)
    r = random.random()
    if r < 0.45:
        return f'({random.choice(["seq", "par", "xor"])} {tree(d + 1)} {tree(d + 1)})'
    if r < 0.65:
        last = random.choice(['', ' (null)', ' (never)', ' ' + tree(d + 1)])
        src = random.choice(["x", "$s", "%m", "#c", "#%m", "[]", "x.$.a", "#cc.$.a", "#%m.$.k", "1"])
        return f'(fold {src} {random.choice(ITERS)} {tree(d + 1)}{last})'
    if r < 0.8:
        return f'({random.choice(["match", "mismatch"])} {op()} {op()} {tree(d + 1)})'
    return f'(new {random.choice(OUTS)} {tree(d + 1)})'


def tail(d):
    if d == 0:
        return random.choice(['(next i)', '(null)', '(next j)'])
    shape = random.choice(['(seq A B)', '(par A B)', '(xor A B)', '(new x A)', '(match 1 1 A)'])
    a, b = tail(d - 1), tail(d - 1) if random.random() < 0.5 else '(null)'
    if random.random() < 0.5:
        a, b = b, a
    return shape.replace('A', a, 1).replace('B', b, 1)


def grammar_cases(seed, cases):
    random.seed(seed)
    for _ in range(2500):
        s = tree()
        if random.random() < 0.8:
            for dv in random.sample(DEFS, random.randint(1, len(DEFS))):
                s = f'(new {dv} {s})'
        cases.add(s)
    for _ in range(600):
        body = tail(random.randint(1, 4))
        inner = random.choice(['', f'(fold $t j {tail(1)})'])
        if inner and random.random() < 0.5:
            body = f'(seq {inner} {body})'
        last = random.choice(['', ' (null)', ' (next i)'])
        cases.add(f'(new $s (new %m (new $t (new x (fold {random.choice(["$s", "%m", "x"])} i {body}{last})))))')


FOLDS = ['$s', '$t', '%m', 'x', '[]', '#c']
NAMES = ['i', 'j', 'k']


def shape(d, open_iters):
    if d <= 0 or random.random() < 0.22:
        if random.random() < 0.55:
            return f'(next {random.choice(open_iters + NAMES)})'
        return random.choice(['(null)', '(never)', '(ap 1 $s)'])
    r = random.random()
    if r < 0.5:
        kw = random.choice(["seq", "par", "xor", "xor", "seq"])
        return f'({kw} {shape(d - 1, open_iters)} {shape(d - 1, open_iters)})'
    if r < 0.62:
        return random.choice(['(new y {})', '(match 1 1 {})', '(mismatch 1 2 {})']).format(shape(d - 1, open_iters))
    it = random.choice(NAMES)
    body = shape(d - 1, open_iters + [it])
    last = random.choice(['', '', ' (null)', ' (never)', ' ' + shape(d - 2, open_iters + [it])])
    return f'(fold {random.choice(FOLDS)} {it} {body}{last})'


def fold_cases(seed, n, depth, cases):
    random.seed(seed)
    start = len(cases)
    while len(cases) - start < n:
        s = shape(random.randint(*depth), [])
        if 'next' in s:
            cases.add(f'(new $s (new $t (new %m (new x (new #c {s})))))')


def nested_shape(d, open_iters, last_heavy=False):
    """Like shape, with more nested folds and nexts of outer iterators."""
    names = ['i', 'j', 'k', 'l']
    if d <= 0 or random.random() < (0.18 if last_heavy else 0.2):
        if random.random() < (0.65 if last_heavy else 0.6):
            return f'(next {random.choice(open_iters * 3 + names if open_iters else names)})'
        return random.choice(['(null)', '(never)', '(ap 1 $s)'])
    r = random.random()
    if r < 0.45:
        kw = random.choice(["seq", "par", "xor"])
        return f'({kw} {nested_shape(d - 1, open_iters, last_heavy)} {nested_shape(d - 1, open_iters, last_heavy)})'
    if r < (0.5 if last_heavy else 0.55):
        return random.choice(['(new y {})', '(match 1 1 {})']).format(nested_shape(d - 1, open_iters, last_heavy))
    it = random.choice([n for n in names if n not in open_iters] or names)
    body = nested_shape(d - 1, open_iters + [it], last_heavy)
    lasts = ['', ' (null)', ' (never)', ' ' + nested_shape(d - 2, open_iters + [it], last_heavy)]
    if last_heavy:
        lasts[2] = ' ' + nested_shape(d - 1, open_iters + [it], last_heavy)
    folds = FOLDS + ['$s', '$t'] if last_heavy else FOLDS
    return f'(fold {random.choice(folds)} {it} {body}{random.choice(lasts)})'


def nested_fold_cases(seed, n, cases, last_heavy=False):
    random.seed(seed)
    start = len(cases)
    while len(cases) - start < n:
        s = nested_shape(random.randint(3, 7), [], last_heavy)
        if 'next' in s and 'fold' in s:
            cases.add(f'(new $s (new $t (new %m (new x (new #c {s})))))')


WORDS = ['x', '1abc', '-abc', '--', '-', '+', '+3', '-0', '1.', '1.5x', '1..2', '.5', '-.5', '1e5',
         '12345678901.', '1234567890.', '0.000000001', '9223372036854775807', '9223372036854775808',
         '-9223372036854775808', 'a%b', '$%b', '%%a', 'a%', '#$', '#%', '#', '$', '%', '#c.length',
         '#cc.length', '#$c.length', '#%c.length', '#c.$.[0]', '#cc.$.[0]!', 'x.$.a!.b', 'x.$.a.b!',
         'x.$.a!!', 'x.$[0]', 'x.$.0', 'x.$.0a', 'x.$.a0', 'x.$.[00]', 'x.$.[4294967295]',
         'x.$.[4294967296]', 'x.$.[-1]', 'x.$.[1a]', 'x.length!', 'x.$', 'x.$.', 'x.$..a',
         'x.$.a.length', 'x.$a', 'x.a', 'x.', 'x.$.a@', 'x.$@', 'é', 'a·b', '_', 'a_b-c',
         '%init_peer_id%x', ':error:x', ':error:.$.x', ':error:.length', ':error:!', '%ttl%.$.a',
         '%last_error%.length', 'true', 'false', 'True', 'call', 'Null', '#-hopc-', '$ss.$.a',
         '%mm.length', 'x.$.[_a]', 'x.$.-a', 'x.$._a', 'x;y', 'a(b)', 'a[0]', '{}', 'x.$.["k"]',
         'x.$.[]', 'x.$.[0', '\u0663', '1\u00b2', '\u0663a', 'a\u00b2', 'x.$.\u0663a', '1.\u0663']


def main():
    cases = set(PROBES)
    grammar_cases(12345, cases)
    grammar_cases(999, cases)
    fold_cases(777, 4000, (2, 6), cases)
    fold_cases(4242, 5000, (3, 7), cases)
    nested_fold_cases(31337, 1500, cases)
    nested_fold_cases(271828, 1500, cases)
    nested_fold_cases(1618, 2000, cases, last_heavy=True)
    nested_fold_cases(1414, 2000, cases, last_heavy=True)
    for w in WORDS:
        for t in ['(new x (new i (new _a (ap %s y))))',
                  '(new x (new i (new _a (call %%init_peer_id%% ("s" "f") [%s] y))))',
                  '(new %s (null))']:
            cases.add(t % w)
    here = os.path.dirname(os.path.abspath(__file__))
    for f in glob.glob(os.path.join(here, '..', '..', '*_test.go')):
        for m in re.finditer(r'`(\([^`]*)`', open(f, encoding='utf-8').read()):
            cases.add(m.group(1))
    for f in glob.glob(os.path.join(here, '..', 'scripts', '*.air')):
        cases.add(open(f, encoding='utf-8').read())
    json.dump(sorted(c for c in cases if c.strip()), sys.stdout, ensure_ascii=False)


main()
