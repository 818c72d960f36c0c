{{/*
The session chart renders exactly what the direct pod manager creates
(packages/adapters/kubernetes/src/render/session-objects.ts); a test renders both and compares
them. Objects are built as dicts and written with toYaml, so quoting is never hand-made.
*/}}

{{/* Labels of one object: the start's labels plus its component. Argument: (dict "root" $ "component" "x"). */}}
{{- define "vs.labels" -}}
{{- toJson (merge (dict "volundr.io/component" .component) (deepCopy .root.Values.runtime.labels)) -}}
{{- end }}

{{- define "vs.metadata" -}}
{{- toJson (dict
  "name" .root.Values.runtime.instance
  "namespace" .root.Release.Namespace
  "labels" (fromJson (include "vs.labels" .))
  "annotations" .root.Values.runtime.annotations) -}}
{{- end }}

{{/* Selector of the start's pod. */}}
{{- define "vs.selector" -}}
{{- toJson (dict "volundr.io/session" .Values.runtime.sessionKey "volundr.io/attempt" (toString .Values.runtime.attempt.number)) -}}
{{- end }}

{{/* Pod-wide entries first, then the container's own, which replace those of the same name. Argument: (list $base $own). */}}
{{- define "vs.mergeByName" -}}
{{- $own := index . 1 -}}
{{- $names := list -}}
{{- range $own }}{{ $names = append $names .name }}{{ end -}}
{{- $out := list -}}
{{- range (index . 0) }}{{ if not (has .name $names) }}{{ $out = append $out . }}{{ end }}{{ end -}}
{{- range $own }}{{ $out = append $out . }}{{ end -}}
{{- toJson $out -}}
{{- end }}

{{/* SessionSpec env entries as Kubernetes env vars. Argument: the list. */}}
{{- define "vs.env" -}}
{{- $out := list -}}
{{- range . -}}
{{- if .secretRef -}}
{{- $out = append $out (dict "name" .name "valueFrom" (dict "secretKeyRef" (dict "name" .secretRef.name "key" .secretRef.key))) -}}
{{- else -}}
{{- $out = append $out (dict "name" .name "value" (.value | default "")) -}}
{{- end -}}
{{- end -}}
{{- toJson $out -}}
{{- end }}

{{/* Pod-wide mounts not shadowed by the container's (same mountPath), then the container's. Argument: (list $pod $own). */}}
{{- define "vs.mounts" -}}
{{- $own := index . 1 -}}
{{- $paths := list -}}
{{- range $own }}{{ $paths = append $paths .mountPath }}{{ end -}}
{{- $all := list -}}
{{- range (index . 0) }}{{ if not (has .mountPath $paths) }}{{ $all = append $all . }}{{ end }}{{ end -}}
{{- range $own }}{{ $all = append $all . }}{{ end -}}
{{- $out := list -}}
{{- range $all -}}
{{- $m := dict "name" .name "mountPath" .mountPath -}}
{{- if .readOnly }}{{ $_ := set $m "readOnly" true }}{{ end -}}
{{- if .subPath }}{{ $_ := set $m "subPath" .subPath }}{{ end -}}
{{- $out = append $out $m -}}
{{- end -}}
{{- toJson $out -}}
{{- end }}

{{/* "true" or "false" (templates return strings): compare with eq. */}}
{{- define "vs.runAsNonRoot" -}}
{{- $nonRoot := true -}}
{{- if and .Values.spec.isolation (hasKey .Values.spec.isolation "runAsNonRoot") }}{{ $nonRoot = .Values.spec.isolation.runAsNonRoot }}{{ end -}}
{{- ternary "true" "false" $nonRoot -}}
{{- end }}

{{- define "vs.containerSecurity" -}}
{{- toJson (dict
  "allowPrivilegeEscalation" false
  "privileged" false
  "runAsNonRoot" (eq (include "vs.runAsNonRoot" .) "true")
  "capabilities" (dict "drop" (list "ALL"))
  "seccompProfile" (dict "type" "RuntimeDefault")) -}}
{{- end }}

{{- define "vs.home" -}}
{{- if and .Values.spec.home.enabled .Values.spec.home.mountPath }}{{ .Values.spec.home.mountPath }}{{ else }}{{ .Values.spec.workspace.mountPath }}{{ end -}}
{{- end }}

{{- define "vs.setupScript" -}}
{{- $scripts := .Values.spec.agent.setupScripts -}}
{{- $parts := list -}}
{{- range $i, $script := $scripts -}}
{{- $parts = append $parts (printf "# setup script %d of %d\n(\n%s\n)\n" (add1 $i) (len $scripts) $script) -}}
{{- end -}}
{{- join "\n" $parts -}}
{{- end }}

{{- define "vs.hasRoute" -}}
{{- if and .Values.spec.gateway .Values.spec.gateway.routes .Values.runtime.gateway.parentRefs }}true{{ end -}}
{{- end }}
