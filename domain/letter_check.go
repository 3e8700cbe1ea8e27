package domain

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
)

// checkFields walks a parsed template and resolves every field against the
// type dot has there (the letter view at the top, a deadline inside
// {{range .Deadlines}}, ...). text/template itself finds an unknown field
// only when the branch holding it runs; a letter drafted once a year must
// not fail on the day.
func checkFields(t *template.Template, root reflect.Type) error {
	c := &fieldChecker{tree: t.Tree, root: root, funcs: letterFuncs}
	if t.Tree == nil || t.Tree.Root == nil {
		return nil
	}
	c.list(t.Tree.Root, root, map[string]reflect.Type{"$": root})
	return c.err
}

type fieldChecker struct {
	tree  *parse.Tree
	root  reflect.Type
	funcs template.FuncMap
	err   error
}

func (c *fieldChecker) fail(n parse.Node, format string, args ...any) {
	if c.err != nil {
		return
	}
	loc, _ := c.tree.ErrorContext(n)
	c.err = fmt.Errorf("%s: %s", loc, fmt.Sprintf(format, args...))
}

func (c *fieldChecker) list(l *parse.ListNode, dot reflect.Type, vars map[string]reflect.Type) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			c.pipe(n.Pipe, dot, vars)
		case *parse.IfNode:
			c.pipe(n.Pipe, dot, vars)
			c.list(n.List, dot, vars)
			c.list(n.ElseList, dot, vars)
		case *parse.WithNode:
			inner := c.pipe(n.Pipe, dot, vars)
			c.list(n.List, deref(inner), c.declare(n.Pipe, inner, vars))
			c.list(n.ElseList, dot, vars)
		case *parse.RangeNode:
			t := c.pipe(n.Pipe, dot, vars)
			var elem, key reflect.Type
			if t = deref(t); t != nil {
				switch t.Kind() {
				case reflect.Slice, reflect.Array:
					elem, key = t.Elem(), reflect.TypeFor[int]()
				case reflect.Map:
					elem, key = t.Elem(), t.Key()
				case reflect.Int:
					elem = t
				default:
					c.fail(n, "range over %s, which is not a list", t)
				}
			}
			inner := map[string]reflect.Type{}
			for k, v := range vars {
				inner[k] = v
			}
			switch len(n.Pipe.Decl) {
			case 1:
				inner[n.Pipe.Decl[0].Ident[0]] = elem
			case 2:
				inner[n.Pipe.Decl[0].Ident[0]] = key
				inner[n.Pipe.Decl[1].Ident[0]] = elem
			}
			c.list(n.List, deref(elem), inner)
			c.list(n.ElseList, dot, vars)
		case *parse.TemplateNode:
			c.fail(n, "a letter template cannot call another template")
		}
	}
}

// declare adds the variables a {{with $x := ...}} declares.
func (c *fieldChecker) declare(p *parse.PipeNode, t reflect.Type, vars map[string]reflect.Type) map[string]reflect.Type {
	if p == nil || len(p.Decl) == 0 {
		return vars
	}
	out := map[string]reflect.Type{}
	for k, v := range vars {
		out[k] = v
	}
	for _, d := range p.Decl {
		out[d.Ident[0]] = t
	}
	return out
}

// pipe checks a pipeline and returns the type it yields (nil: unknown).
func (c *fieldChecker) pipe(p *parse.PipeNode, dot reflect.Type, vars map[string]reflect.Type) reflect.Type {
	if p == nil {
		return nil
	}
	var t reflect.Type
	for _, cmd := range p.Cmds {
		t = c.command(cmd, dot, vars)
	}
	if len(p.Decl) > 0 && !p.IsAssign {
		// {{$x := ...}} outside range/with: visible for the rest of the list.
		for _, d := range p.Decl {
			vars[d.Ident[0]] = t
		}
	}
	return t
}

func (c *fieldChecker) command(cmd *parse.CommandNode, dot reflect.Type, vars map[string]reflect.Type) reflect.Type {
	if len(cmd.Args) == 0 {
		return nil
	}
	for _, a := range cmd.Args[1:] {
		c.arg(a, dot, vars)
	}
	return c.arg(cmd.Args[0], dot, vars)
}

func (c *fieldChecker) arg(n parse.Node, dot reflect.Type, vars map[string]reflect.Type) reflect.Type {
	switch n := n.(type) {
	case *parse.FieldNode:
		return c.fields(n, dot, n.Ident)
	case *parse.VariableNode:
		t, ok := vars[n.Ident[0]]
		if !ok {
			return nil
		}
		return c.fields(n, t, n.Ident[1:])
	case *parse.DotNode:
		return dot
	case *parse.PipeNode:
		return c.pipe(n, dot, vars)
	case *parse.ChainNode:
		return c.fields(n, c.arg(n.Node, dot, vars), n.Field)
	case *parse.IdentifierNode:
		if f, ok := c.funcs[n.Ident]; ok {
			ft := reflect.TypeOf(f)
			if ft.NumOut() > 0 {
				return ft.Out(0)
			}
			return nil
		}
		if builtin[n.Ident] {
			return nil
		}
		c.fail(n, "no function %q", n.Ident)
	case *parse.StringNode:
		return reflect.TypeFor[string]()
	case *parse.BoolNode:
		return reflect.TypeFor[bool]()
	case *parse.NumberNode:
		return reflect.TypeFor[int]()
	}
	return nil
}

var builtin = map[string]bool{"and": true, "or": true, "not": true, "len": true, "index": true, "print": true,
	"printf": true, "println": true, "eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true,
	"html": true, "js": true, "urlquery": true, "slice": true, "call": true}

// fields resolves a chain of names from t: each a struct field or a
// method (whose first result carries on).
func (c *fieldChecker) fields(n parse.Node, t reflect.Type, names []string) reflect.Type {
	for _, name := range names {
		if t == nil {
			return nil
		}
		if m, ok := t.MethodByName(name); ok {
			t = resultOf(m.Type)
			continue
		}
		if t.Kind() != reflect.Pointer {
			if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
				t = resultOf(m.Type)
				continue
			}
		}
		s := deref(t)
		if s.Kind() == reflect.Interface || s.Kind() == reflect.Map {
			return nil
		}
		if s.Kind() != reflect.Struct {
			c.fail(n, "%s is %s, which has no field %s", strings.Join(names, "."), s, name)
			return nil
		}
		f, ok := s.FieldByName(name)
		if !ok || !f.IsExported() {
			c.fail(n, "unknown field %s on %s (the fields are: %s)", name, s.Name(), fieldNames(s))
			return nil
		}
		t = f.Type
	}
	return t
}

func resultOf(m reflect.Type) reflect.Type {
	if m.NumOut() == 0 {
		return nil
	}
	return m.Out(0)
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func fieldNames(s reflect.Type) string {
	var out []string
	for i := range s.NumField() {
		if f := s.Field(i); f.IsExported() {
			out = append(out, f.Name)
		}
	}
	for _, t := range []reflect.Type{s, reflect.PointerTo(s)} {
		for i := range t.NumMethod() {
			if n := t.Method(i).Name; !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	return strings.Join(out, ", ")
}
