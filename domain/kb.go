package domain

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"unicode"
)

//go:embed kb/*.md
var kbFiles embed.FS

// Article is one knowledge-base article: Markdown with a short front
// matter naming its title, jurisdiction and topic, and the qualifying
// questions to ask before a query on it is passed on.
type Article struct {
	ID           string   `json:"id"` // the file name without .md
	Title        string   `json:"title"`
	Jurisdiction string   `json:"jurisdiction,omitempty"` // a pack id, "" for all
	Topic        string   `json:"topic"`
	Tags         []string `json:"tags,omitempty"`
	Questions    []string `json:"qualifying_questions,omitempty"`
	Body         string   `json:"body"`
	Source       string   `json:"source"` // built-in, or the office's file
}

// KnowledgeBase is the articles an office answers from, with a word index
// built once so a search as the officer types reads no text.
type KnowledgeBase struct {
	articles []Article
	index    map[string][]posting // word -> articles it is in
	words    []string             // every word, sorted, for prefix search
	topics   Taxonomy
}

type posting struct {
	article int
	weight  int // title words count more than body words
}

// ParseArticle reads an article. The front matter is between two "---"
// lines: "key: value" lines for title, jurisdiction, topic and tags (comma
// separated), and "questions:" followed by "- question" lines. Errors name
// the file and line.
func ParseArticle(id, src string, text []byte) (Article, error) {
	a := Article{ID: id, Source: src}
	lines := strings.Split(strings.ReplaceAll(string(text), "\r\n", "\n"), "\n")
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return a, fmt.Errorf("%s:1: an article starts with a front matter between --- lines", src)
	}
	end := -1
	inQuestions := false
	for i := 1; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "---" {
			end = i
			break
		}
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasPrefix(l, "- ") {
			if !inQuestions {
				return a, fmt.Errorf("%s:%d: a list item outside \"questions:\"", src, i+1)
			}
			a.Questions = append(a.Questions, strings.TrimSpace(l[2:]))
			continue
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return a, fmt.Errorf("%s:%d: expected key: value", src, i+1)
		}
		v = strings.TrimSpace(v)
		inQuestions = false
		switch strings.TrimSpace(k) {
		case "title":
			a.Title = v
		case "jurisdiction":
			a.Jurisdiction = v
		case "topic":
			a.Topic = v
		case "tags":
			for _, t := range strings.Split(v, ",") {
				if t = strings.TrimSpace(t); t != "" {
					a.Tags = append(a.Tags, t)
				}
			}
		case "questions":
			inQuestions = true
		default:
			return a, fmt.Errorf("%s:%d: unknown key %q (use title, jurisdiction, topic, tags, questions)", src, i+1, clip(k))
		}
	}
	if end < 0 {
		return a, fmt.Errorf("%s: the front matter has no closing ---", src)
	}
	if a.Title == "" {
		return a, fmt.Errorf("%s: title: missing", src)
	}
	if a.Topic == "" {
		return a, fmt.Errorf("%s: topic: missing", src)
	}
	a.Body = strings.TrimSpace(strings.Join(lines[end+1:], "\n"))
	return a, nil
}

// LoadKnowledgeBase reads the built-in articles and then the office's
// (file name -> content), an office article replacing a built-in one of
// the same name. Every article's topic must be in the taxonomy.
func LoadKnowledgeBase(topics Taxonomy, office map[string][]byte, officeDir string) (*KnowledgeBase, error) {
	byID := map[string]Article{}
	entries, _ := fs.ReadDir(kbFiles, "kb")
	for _, e := range entries {
		b, _ := kbFiles.ReadFile("kb/" + e.Name())
		id := strings.TrimSuffix(e.Name(), ".md")
		a, err := ParseArticle(id, "built-in kb/"+e.Name(), b)
		if err != nil {
			return nil, err
		}
		byID[id] = a
	}
	for name, b := range office {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		id := strings.TrimSuffix(path.Base(name), ".md")
		a, err := ParseArticle(id, path.Join(officeDir, name), b)
		if err != nil {
			return nil, err
		}
		byID[id] = a
	}
	kb := &KnowledgeBase{index: map[string][]posting{}, topics: topics}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a := byID[id]
		if !topics.Has(a.Topic) {
			return nil, fmt.Errorf("%s: topic: %q is not in the taxonomy (use one of %s)", a.Source, clip(a.Topic), strings.Join(topics.Slugs(), ", "))
		}
		kb.add(a)
	}
	for w := range kb.index {
		kb.words = append(kb.words, w)
	}
	sort.Strings(kb.words)
	return kb, nil
}

// MustKnowledgeBase is the built-in articles on the default taxonomy.
func MustKnowledgeBase() *KnowledgeBase {
	kb, err := LoadKnowledgeBase(DefaultTaxonomy(), nil, "")
	if err != nil {
		panic(err)
	}
	return kb
}

func (kb *KnowledgeBase) add(a Article) {
	n := len(kb.articles)
	kb.articles = append(kb.articles, a)
	weights := map[string]int{}
	for _, w := range kbWords(a.Title + " " + strings.Join(a.Tags, " ") + " " + a.Topic) {
		weights[w] += 3
	}
	for _, w := range kbWords(a.Body) {
		weights[w]++
	}
	for w, wt := range weights {
		kb.index[w] = append(kb.index[w], posting{n, wt})
	}
}

// kbWords splits text into lower-case words of letters and digits.
func kbWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// Articles lists every article, by id.
func (kb *KnowledgeBase) Articles() []Article { return kb.articles }

// Taxonomy is the topics the knowledge base files under.
func (kb *KnowledgeBase) Taxonomy() Taxonomy { return kb.topics }

// Article finds an article by id.
func (kb *KnowledgeBase) Article(id string) (Article, bool) {
	for _, a := range kb.articles {
		if a.ID == id {
			return a, true
		}
	}
	return Article{}, false
}

// Search finds articles with every word typed (the last one as a prefix,
// since the officer is still typing it), best first: title and tag
// matches count triple. jurisdiction, if given, keeps articles of that
// pack and those for all; topic, if given, lifts that topic's articles.
func (kb *KnowledgeBase) Search(typed, jurisdiction, topic string, limit int) []Article {
	words := kbWords(typed)
	score := map[int]int{}
	if len(words) == 0 {
		for i := range kb.articles {
			score[i] = 0
		}
	}
	for wi, w := range words {
		hits := map[int]int{}
		match := func(word string) {
			for _, p := range kb.index[word] {
				hits[p.article] += p.weight
			}
		}
		if wi == len(words)-1 {
			i := sort.SearchStrings(kb.words, w)
			for ; i < len(kb.words) && strings.HasPrefix(kb.words[i], w); i++ {
				match(kb.words[i])
			}
		} else {
			match(w)
		}
		if wi == 0 {
			score = hits
			continue
		}
		for a := range score {
			if h, ok := hits[a]; ok {
				score[a] += h
			} else {
				delete(score, a)
			}
		}
	}
	var out []int
	for a, s := range score {
		art := kb.articles[a]
		if jurisdiction != "" && art.Jurisdiction != "" && art.Jurisdiction != jurisdiction {
			continue
		}
		if topic != "" && art.Topic == topic {
			score[a] = s + 5
		}
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		if score[out[i]] != score[out[j]] {
			return score[out[i]] > score[out[j]]
		}
		return kb.articles[out[i]].ID < kb.articles[out[j]].ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	res := make([]Article, len(out))
	for i, a := range out {
		res[i] = kb.articles[a]
	}
	return res
}
