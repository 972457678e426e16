#!/usr/bin/env bash
# The chat on a local kind cluster, in one script. Versions: deploy/versions.env.
#
#   deploy/kind.sh up      create the cluster (if needed), install KEDA, metrics-server and cloud-provider-kind, build
#                          the images with a tag of this build, load them, apply k8s/ with that tag and wait; run it again
#                          after a change: new tag, so the Deployments roll
#   deploy/kind.sh smoke   the chat answers through the ingress controller's load balancer, /metrics does not, both
#                          autoscalers are ready
#   deploy/kind.sh load    3,000 connections (half SignalR, half STOMP) for 10 min through the load balancer, with the
#                          load-test image on the kind network; reports in ./loadtest-reports
#   deploy/kind.sh down    delete the cluster and the load balancer container
#
# Every command that changes something is printed before it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=versions.env
source deploy/versions.env

CLUSTER=chat
NAMESPACE=chat
CONFIG=k8s/kind-config.yaml
OVERLAY=deploy/.kind
LB_CONTAINER=chat-cloud-provider-kind
HOST=homedev

run() {
  echo "+ $*" >&2
  "$@"
}

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || { echo "$tool is needed (see README: Kubernetes on kind)" >&2; exit 2; }
  done
}

check_kind_version() {
  local have
  have="$(kind version -q 2>/dev/null | sed 's/^v//; s/-.*//')"
  if [ "$(printf '%s\n%s\n' "$KIND_MIN_VERSION" "$have" | sort -V | head -n1)" != "$KIND_MIN_VERSION" ]; then
    echo "kind $have is too old: $KIND_NODE_IMAGE needs kind $KIND_MIN_VERSION or newer" >&2
    exit 2
  fi
}

build_tag() {
  local tag
  tag="$(git rev-parse --short HEAD 2>/dev/null || echo build)"
  if [ -n "$(git status --porcelain 2>/dev/null)" ]; then
    tag="$tag-dirty-$(date +%s)"
  fi
  echo "$tag"
}

load_balancer_ip() {
  kubectl -n "$NAMESPACE" get service chat-ingress-controller -o jsonpath='{.status.loadBalancer.ingress[0].ip}'
}

up() {
  need docker kind kubectl
  check_kind_version
  if ! kind get clusters 2>/dev/null | grep -qx "$CLUSTER"; then
    run kind create cluster --name "$CLUSTER" --config "$CONFIG" --image "$KIND_NODE_IMAGE"
  fi
  run kubectl config use-context "kind-$CLUSTER"

  run kubectl apply --server-side -f "https://github.com/kedacore/keda/releases/download/v$KEDA_VERSION/keda-$KEDA_VERSION.yaml"
  run kubectl apply -f "https://github.com/kubernetes-sigs/metrics-server/releases/download/v$METRICS_SERVER_VERSION/components.yaml"
  # kind's kubelets serve self-signed certificates.
  if ! kubectl -n kube-system get deployment metrics-server -o jsonpath='{.spec.template.spec.containers[0].args}' | grep -q kubelet-insecure-tls; then
    run kubectl -n kube-system patch deployment metrics-server --type=json \
      -p '[{"op":"add","path":"/spec/template/spec/containers/0/args/-","value":"--kubelet-insecure-tls"}]'
  fi
  if [ -z "$(docker ps -q --filter "name=^$LB_CONTAINER$")" ]; then
    docker rm -f "$LB_CONTAINER" >/dev/null 2>&1 || true
    run docker run -d --name "$LB_CONTAINER" --network kind -v /var/run/docker.sock:/var/run/docker.sock \
      "registry.k8s.io/cloud-provider-kind/cloud-controller-manager:v$CLOUD_PROVIDER_KIND_VERSION"
  fi
  run kubectl -n keda rollout status deployment/keda-operator --timeout=5m
  run kubectl -n kube-system rollout status deployment/metrics-server --timeout=5m

  local tag
  tag="$(build_tag)"
  run docker build -f chat-server/Dockerfile -t "chat-server:$tag" .
  run docker build -f ingress-controller/Dockerfile -t "chat-ingress-controller:$tag" .
  run docker build -f loadtest/Dockerfile -t "chat-loadtest:$tag" .
  run kind load docker-image "chat-server:$tag" "chat-ingress-controller:$tag" --name "$CLUSTER"

  # k8s/ with this build's tags: a new tag changes the pod templates, so `kubectl apply` rolls them.
  mkdir -p "$OVERLAY"
  echo "$tag" > "$OVERLAY.tag"
  cat > "$OVERLAY/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../k8s
images:
  - name: chat-server
    newTag: "$tag"
  - name: chat-ingress-controller
    newTag: "$tag"
YAML
  run kubectl apply -k "$OVERLAY"
  run kubectl -n "$NAMESPACE" rollout status deployment/redis deployment/chat-http deployment/chat-ws deployment/chat-ingress-controller deployment/prometheus --timeout=5m
  echo "Waiting for the load balancer's address" >&2
  for _ in $(seq 60); do
    [ -n "$(load_balancer_ip)" ] && break
    sleep 2
  done
  echo "The chat: http://$(load_balancer_ip)/ with Host: $HOST (add \"$(load_balancer_ip) $HOST\" to /etc/hosts to open http://$HOST/)"
}

smoke() {
  need curl kubectl
  local ip
  ip="$(load_balancer_ip)"
  [ -n "$ip" ] || { echo "the ingress controller's Service has no load balancer address (is cloud-provider-kind running?)" >&2; exit 1; }
  echo "+ curl -sI -H 'Host: $HOST' http://$ip/" >&2
  curl -fsSI -H "Host: $HOST" "http://$ip/" | grep -i '^x-chat-replica:' || { echo "no chat replica answered through the ingress" >&2; exit 1; }
  echo "+ curl -s -o /dev/null -w '%{http_code}' -H 'Host: $HOST' http://$ip/metrics" >&2
  local status
  status="$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $HOST" "http://$ip/metrics")"
  [ "$status" = 404 ] || { echo "/metrics is reachable through the public Ingress (HTTP $status)" >&2; exit 1; }
  run kubectl -n "$NAMESPACE" wait --for=condition=Ready scaledobject/chat-ws scaledobject/chat-http --timeout=2m
  run kubectl -n "$NAMESPACE" get hpa
  echo "smoke test passed"
}

load() {
  need docker kubectl
  local ip tag
  ip="$(load_balancer_ip)"
  tag="$(cat "$OVERLAY.tag")"
  mkdir -p loadtest-reports
  run docker run --rm --network kind --user "$(id -u):$(id -g)" -v "$PWD/loadtest-reports:/reports" "chat-loadtest:$tag" \
    connect --target "http://$ip/" --host "$HOST" --connections 3000 --connect-rate 100 --duration 10m --out /reports
}

down() {
  need docker kind
  run kind delete cluster --name "$CLUSTER"
  docker rm -f "$LB_CONTAINER" >/dev/null 2>&1 && echo "+ docker rm -f $LB_CONTAINER" >&2 || true
  rm -rf "$OVERLAY" "$OVERLAY.tag"
}

case "${1:-}" in
  up) up ;;
  smoke) smoke ;;
  load) load ;;
  down) down ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
