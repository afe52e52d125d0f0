// Consistency of the temporal network by Bellman–Ford (Boost.Graph).
#include "scheduler/temporal_network.hpp"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/bellman_ford_shortest_paths.hpp>
#pragma GCC diagnostic pop

#include <deque>
#include <limits>

namespace xun::scheduler::detail {
namespace {

struct EdgeData {
  long weight = 0;
  int constraint = -1;
};
using Graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property, EdgeData>;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

// Remembers, for each vertex, the constraint whose edge last lowered it.
struct RecordPredecessor : boost::base_visitor<RecordPredecessor> {
  using event_filter = boost::on_edge_relaxed;
  std::vector<int> *pred;
  void operator()(Edge e, const Graph &g) const { (*pred)[boost::target(e, g)] = g[e].constraint; }
};

bool active(const Model &m, const Constraint &c) {
  auto hard = [&](int node) {
    return node == m.origin() || !m.occs[static_cast<std::size_t>(node)].optional;
  };
  return hard(c.from) && hard(c.to);
}

// Shortest distances from the origin over the edges to → from (weight -c) by
// queue-based label correcting; false on a negative cycle (some shortest path
// would need n edges). The distances are the unique ones Bellman–Ford finds.
bool latest_starts(const Model &m, std::vector<long> &dist) {
  const std::size_t n = m.occs.size() + 1;
  std::vector<std::size_t> offset(n + 1, 0);
  for (const Constraint &c : m.constraints)
    if (active(m, c))
      ++offset[static_cast<std::size_t>(c.to) + 1];
  for (std::size_t v = 0; v < n; ++v)
    offset[v + 1] += offset[v];
  std::vector<std::pair<std::size_t, long>> edges(offset[n]); // (from, weight)
  {
    std::vector<std::size_t> fill(offset.begin(), offset.end() - 1);
    for (const Constraint &c : m.constraints)
      if (active(m, c))
        edges[fill[static_cast<std::size_t>(c.to)]++] = {static_cast<std::size_t>(c.from), -c.c};
  }
  const long unreached = std::numeric_limits<long>::max();
  dist.assign(n, unreached);
  std::vector<std::size_t> length(n, 0);
  std::deque<std::size_t> queue;
  std::vector<char> queued(n, 0);
  const auto origin = static_cast<std::size_t>(m.origin());
  dist[origin] = 0;
  queue.push_back(origin);
  queued[origin] = 1;
  while (!queue.empty()) {
    const std::size_t u = queue.front();
    queue.pop_front();
    queued[u] = 0;
    for (std::size_t k = offset[u]; k < offset[u + 1]; ++k) {
      const auto [v, w] = edges[k];
      if (dist[u] + w < dist[v]) {
        dist[v] = dist[u] + w;
        length[v] = length[u] + 1;
        if (length[v] >= n)
          return false;
        if (!queued[v]) {
          queued[v] = 1;
          queue.push_back(v);
        }
      }
    }
  }
  return true;
}

} // namespace

StnCheck check_stn(const Model &m) {
  const std::size_t n = m.occs.size() + 1;
  {
    // The common case, fast; a negative cycle is then read back with Boost's
    // Bellman–Ford below, as before.
    StnCheck fast;
    if (latest_starts(m, fast.latest))
      return fast;
  }
  Graph g(n);
  // s[to] >= s[from] + c  ⇔  s[from] - s[to] <= -c: an edge to → from.
  for (std::size_t i = 0; i < m.constraints.size(); ++i) {
    const Constraint &c = m.constraints[i];
    if (active(m, c))
      boost::add_edge(static_cast<std::size_t>(c.to), static_cast<std::size_t>(c.from),
                      EdgeData{-c.c, static_cast<int>(i)}, g);
  }
  StnCheck out;
  out.latest.assign(n, std::numeric_limits<long>::max());
  std::vector<std::size_t> parent(n);
  for (std::size_t v = 0; v < n; ++v)
    parent[v] = v;
  std::vector<int> pred(n, -1);
  out.latest[static_cast<std::size_t>(m.origin())] = 0;
  RecordPredecessor recorder;
  recorder.pred = &pred;
  const bool ok =
      boost::bellman_ford_shortest_paths(g, n,
                                         boost::weight_map(boost::get(&EdgeData::weight, g))
                                             .distance_map(out.latest.data())
                                             .predecessor_map(parent.data())
                                             .visitor(boost::make_bellman_visitor(recorder)));
  if (ok)
    return out;
  out.consistent = false;
  // Find an edge that still relaxes, walk the predecessor chain n times to land
  // on the cycle, then collect it.
  std::size_t start = n;
  for (auto [it, end] = boost::edges(g); it != end; ++it) {
    const auto u = boost::source(*it, g), v = boost::target(*it, g);
    if (out.latest[u] != std::numeric_limits<long>::max() &&
        out.latest[u] + g[*it].weight < out.latest[v]) {
      pred[v] = g[*it].constraint;
      start = v;
      break;
    }
  }
  if (start == n)
    return out;
  auto from_of = [&](std::size_t v) {
    const Constraint &c = m.constraints[static_cast<std::size_t>(pred[v])];
    return static_cast<std::size_t>(c.to); // the graph edge runs to → from
  };
  std::size_t x = start;
  for (std::size_t k = 0; k < n && pred[x] >= 0; ++k)
    x = from_of(x);
  std::size_t y = x;
  for (std::size_t guard = 0; guard <= n && pred[y] >= 0; ++guard) {
    out.cycle.push_back(pred[y]);
    y = from_of(y);
    if (y == x)
      break;
  }
  return out;
}

bool propagate_all(const Model &m, std::vector<long> &lb, std::vector<long> &ub) {
  const std::size_t n = m.occs.size() + 1;
  std::vector<std::vector<int>> out_edges(n), in_edges(n);
  for (std::size_t i = 0; i < m.constraints.size(); ++i) {
    const Constraint &c = m.constraints[i];
    if (!active(m, c))
      continue;
    out_edges[static_cast<std::size_t>(c.from)].push_back(static_cast<int>(i));
    in_edges[static_cast<std::size_t>(c.to)].push_back(static_cast<int>(i));
  }
  std::deque<std::size_t> queue;
  std::vector<char> queued(n, 1);
  for (std::size_t v = 0; v < n; ++v)
    queue.push_back(v);
  while (!queue.empty()) {
    const std::size_t v = queue.front();
    queue.pop_front();
    queued[v] = 0;
    if (lb[v] > ub[v])
      return false;
    auto push = [&](std::size_t w) {
      if (!queued[w]) {
        queued[w] = 1;
        queue.push_back(w);
      }
    };
    for (int ci : out_edges[v]) {
      const Constraint &c = m.constraints[static_cast<std::size_t>(ci)];
      const auto w = static_cast<std::size_t>(c.to);
      if (lb[v] + c.c > lb[w]) {
        lb[w] = lb[v] + c.c;
        if (lb[w] > ub[w])
          return false;
        push(w);
      }
    }
    for (int ci : in_edges[v]) {
      const Constraint &c = m.constraints[static_cast<std::size_t>(ci)];
      const auto w = static_cast<std::size_t>(c.from);
      if (ub[v] - c.c < ub[w]) {
        ub[w] = ub[v] - c.c;
        if (lb[w] > ub[w])
          return false;
        push(w);
      }
    }
  }
  return true;
}

} // namespace xun::scheduler::detail
