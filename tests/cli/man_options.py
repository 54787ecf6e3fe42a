"""signoff(1) and the --help of every command agree (tests/cli/man.sh).

    man_options.py SIGNOFF MAN_PAGE

Every short and long option a command's --help lists is in signoff(1), in
the command's own section (".SS "signoff CMD ...", "Options of signoff
CMD") or COMMON OPTIONS; every long option signoff(1) names is in some
--help, and every short option heading an entry of a command's section is
in that command's --help. Prints one "ok - ..."/"not ok - ..." per check.
"""
import re
import subprocess
import sys

so, man = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()


def helptext(*args):
    return subprocess.run([so, *args, "--help"], capture_output=True,
                          text=True).stdout


def options(help_text):
    """The -x and --long options of the option lines of a --help."""
    found = set()
    for line in help_text.splitlines():
        m = re.match(r"^ {2,6}(-\w)?,? *(--[\w-]+)", line)
        if m:
            found.update(o for o in m.groups() if o)
    return found


def esc(opt):
    return opt.replace("-", "\\-")


def named(opt, text):
    return re.search(re.escape(esc(opt)) + r"(?![\w\\])", text) is not None


top = helptext()
cmds = re.search(r"Commands:\n(.*?)\n\n", top, re.S).group(1)
cmds = [line.split()[0] for line in cmds.splitlines()]
regions, title = {}, "top"
for part in re.split(r"(?m)^(\.S[SH] .*)$", man):
    if part.startswith((".SS ", ".SH ")):
        title = part
    regions[title] = regions.get(title, "") + part
common = regions.get(".SH COMMON OPTIONS", "")
every_help = ""
for c in cmds:
    h = helptext(c)
    every_help += h
    own = "".join(body for t, body in regions.items()
                  if t.startswith(('.SS "signoff %s ' % c, '.SS "signoff [%s]' % c))
                  or t == '.SS "Options of signoff %s"' % c)
    print(("ok" if own else "not ok") + " - signoff(1) has a section for " + c)
    opts = options(h)
    print(("ok" if opts else "not ok") + " - %s --help lists options" % c)
    for o in sorted(opts):
        ok = named(o, own + common)
        print("%s - signoff(1) documents %s %s" % ("ok" if ok else "not ok", c, o))
    for short in sorted(set(re.findall(r"(?m)^\.B[RI]? \\-(\w)(?![\w\\])", own))):
        ok = "-" + short in opts
        print("%s - %s --help has -%s, which signoff(1) documents for it"
              % ("ok" if ok else "not ok", c, short))
helped = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", every_help))
for o in sorted(set(re.findall(r"\\-\\-([a-z][a-z\\-]*[a-z])", man))):
    o = "--" + o.replace("\\-", "-")
    print("%s - %s (in signoff(1)) is an option of some --help"
          % ("ok" if o in helped else "not ok", o))
